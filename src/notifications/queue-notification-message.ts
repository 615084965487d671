import type { Db } from '../db/db.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import type { MessageCategory } from './notification-links.js';

/** Outbox topic of a message waiting for delivery; the notifications extension delivers it. */
export const MESSAGE_QUEUED_TOPIC = 'notification.message_queued';

export interface QueuedMessage {
  runId: number | null;
  resendOf?: number | null;
  workflowId: string;
  template: string;
  category: MessageCategory;
  customerId: string;
  orderId: string | null;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  /** Unique per message ever: the run and its step for a workflow's send, `resend:<id>:<n>` for a resend. */
  idempotencyKey: string;
}

/**
 * Records a rendered message and its delivery event in the caller's transaction: the message
 * exists exactly when the step that made it commits, and is sent after. The same key twice
 * records one message (returns the first one's id, `created: false`).
 */
export async function queueNotificationMessage(tx: Db, m: QueuedMessage): Promise<{ id: number; created: boolean }> {
  const { rows } = await tx.query<{ id: string | number }>(
    `INSERT INTO notification_messages
       (run_id, resend_of, workflow_id, template, category, customer_id, order_id, channel, recipient, subject, body_text, body_html, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [m.runId, m.resendOf ?? null, m.workflowId, m.template, m.category, m.customerId, m.orderId, m.channel, m.recipient, m.subject, m.bodyText, m.bodyHtml, m.idempotencyKey],
  );
  if (rows[0]) {
    const id = Number(rows[0].id);
    await writeOutbox(tx, MESSAGE_QUEUED_TOPIC, { messageId: id });
    return { id, created: true };
  }
  const { rows: existing } = await tx.query<{ id: string | number }>('SELECT id FROM notification_messages WHERE idempotency_key = $1', [m.idempotencyKey]);
  return { id: Number(existing[0]!.id), created: false };
}
