import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { DomainError } from '../domain/domain-error.js';
import { consentRefusal, loadPreferences } from './consent/notification-preferences.js';
import type { MessageCategory } from './notification-links.js';
import { queueNotificationMessage } from './queue-notification-message.js';

interface Row {
  id: string | number;
  workflow_id: string;
  template: string;
  category: MessageCategory;
  customer_id: string;
  order_id: string | null;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  status: string;
}

/** A message is sent again at most this often, so a resend (a customer may ask for one) cannot become a flood. */
export const MAX_RESENDS = 3;

/**
 * Queues a copy of a message (the same text, to the same recipient) as a message of its own,
 * `resend_of` the original, and audits who asked. Null for an unknown message. Refused while the
 * original is still on its way, and while the customer's consent refuses its channel and kind
 * (a message suppressed for a STOP stays unsent until they send START), for a message suppressed
 * before it was written, and past MAX_RESENDS copies.
 */
export async function resendNotification(db: Db, messageId: number, actor: Actor): Promise<{ id: number } | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>('SELECT * FROM notification_messages WHERE id = $1 FOR UPDATE', [messageId]);
    const original = rows[0];
    if (!original) return null;
    if (original.status === 'queued' || original.status === 'sending') {
      throw new DomainError('conflict', 'notification_pending', `notification message ${messageId} is still ${original.status}; it goes out on its own`);
    }
    if (!original.body_text.trim() || !original.recipient.trim()) {
      // Suppressed before it was rendered (no consent, no address then): there is nothing to copy.
      throw new DomainError('conflict', 'notification_never_written', `notification message ${messageId} was never written (${original.status}); nothing to send again`);
    }
    const refusal = consentRefusal(await loadPreferences(tx, original.customer_id), original.channel, original.category);
    if (refusal) {
      throw new DomainError('conflict', 'notification_consent_refused', `notification message ${messageId} cannot be sent again: ${refusal}`);
    }
    const { rows: counted } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_messages WHERE resend_of = $1', [messageId]);
    const resends = Number(counted[0]?.n ?? 0);
    if (resends >= MAX_RESENDS) {
      throw new DomainError('conflict', 'notification_resend_limit', `notification message ${messageId} has been sent again ${resends} times already`);
    }
    const queued = await queueNotificationMessage(tx, {
      runId: null,
      resendOf: messageId,
      workflowId: original.workflow_id,
      template: original.template,
      category: original.category,
      customerId: original.customer_id,
      orderId: original.order_id,
      channel: original.channel,
      recipient: original.recipient,
      subject: original.subject,
      bodyText: original.body_text,
      bodyHtml: original.body_html,
      idempotencyKey: `resend:${messageId}:${resends + 1}`,
    });
    await recordAudit(tx, actor, {
      action: 'notification_message.resent',
      entityType: 'notification_message',
      entityId: String(messageId),
      data: { resendId: queued.id, orderId: original.order_id, channel: original.channel },
    });
    return { id: queued.id };
  });
}
