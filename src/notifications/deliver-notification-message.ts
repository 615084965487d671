import type { Db } from '../db/db.js';
import { retryWhileDatabaseUnavailable } from '../db/retry-while-database-unavailable.js';
import { systemActor } from '../domain/actor.js';
import { consentRefusal, loadPreferences, updatePreferences } from './consent/notification-preferences.js';
import { listUnsubscribeHeaders } from './list-unsubscribe-headers.js';
import type { MessageCategory, NotificationLinks } from './notification-links.js';
import { notificationMessageId } from './notification-message-id.js';
import { findOrderSupportThread } from './order-support-thread.js';
import type { NotificationMailer } from './outgoing-email.js';
import { automaticMailHeaders, replyReferences } from './reply-headers.js';
import { isRetryableMailError } from './retryable-mail-error.js';
import { settleNotificationEmailRecord } from './settle-notification-email-record.js';
import type { Clock } from './clock.js';
import { nextSendTime } from './quiet-hours.js';
import { applySmsStatusReports } from './record-sms-status.js';
import type { NotificationSettings } from './workflow.js';
import { SmsSendError, type SmsSender } from './sms-sender.js';

export interface DeliveryDeps {
  db: Db;
  mailer: NotificationMailer;
  sms: SmsSender;
  /** The store's support address: notification mail comes from it, and replies to it reach support. */
  fromAddress: string;
  storeName: string;
  /** Where Twilio reports delivery (PUBLIC_URL + /webhooks/twilio/status); undefined when nothing listens. */
  statusCallbackUrl: () => string | undefined;
  links: NotificationLinks;
  /** The workflows file's quiet hours, checked again at the moment of sending; absent: none. */
  quietHours?: { settings: NotificationSettings; timezone: string; clock: Clock };
}

/** What became of one delivery: handed off, nothing to do, refused for good, or not allowed by consent. */
export type DeliveryOutcome = 'sent' | 'skipped' | 'failed' | 'suppressed';

/**
 * How long a claim (status `sending`) keeps others away. A worker that died mid-send leaves the
 * message claimed; after this the next try takes it over and sends it again under the same
 * Message-ID or Twilio idempotency token. Short enough to pass within the outbox's retries.
 */
export const SENDING_LEASE_MS = 60_000;

/** Thrown after a failure that may pass later; the message is back in `queued` and the caller's retry sends it. */
export class RetryableDeliveryError extends Error {
  constructor(readonly messageId: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableDeliveryError';
  }
}

/** Thrown when another worker holds the message now; trying again later finds it sent, or free. */
export class MessageBeingSentError extends Error {
  constructor(readonly messageId: number) {
    super(`notification message ${messageId} is being sent by another worker`);
    this.name = 'MessageBeingSentError';
  }
}

interface MessageRow {
  id: string | number;
  run_id: string | number | null;
  workflow_id: string;
  category: MessageCategory;
  customer_id: string;
  order_id: string | null;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  idempotency_key: string;
  status: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Sends one queued message (the handler of `notification.message_queued`). Claims it first, so a
 * message is sent by one worker at a time; asks consent again, because a STOP or an unsubscribe
 * may have arrived since it was queued; drops it when a later event cancelled its run; and leaves
 * it queued while its workflow is paused ('skipped'). A message already sent, failed or
 * suppressed is left alone ('skipped'). A failure that may pass
 * later puts the message back in `queued` and throws RetryableDeliveryError, so the outbox tries
 * again; one that will not (a 5xx SMTP reply, a refusal from Twilio) marks it `failed`.
 */
export async function deliverNotificationMessage(deps: DeliveryDeps, messageId: number): Promise<DeliveryOutcome> {
  const { db } = deps;
  const message = await claim(db, messageId);
  if (!message) {
    const { rows } = await db.query<{ status: string }>('SELECT status FROM notification_messages WHERE id = $1', [messageId]);
    if (rows[0]?.status === 'sending') throw new MessageBeingSentError(messageId);
    return 'skipped';
  }

  const workflow = await workflowState(db, message);
  if (workflow.paused) {
    await settle(db, messageId, 'queued', { error: `held: workflow ${message.workflow_id} is paused` });
    return 'skipped';
  }
  const quietUntil = quietHoursEnd(deps, message, workflow.ignoresQuietHours);
  if (quietUntil) {
    // A text released late (a resumed workflow, a retry after an outage) still waits for the morning; the sweep sends it then.
    await settle(db, messageId, 'queued', { error: `waiting: quiet hours until ${quietUntil.toISOString()}` });
    return 'skipped';
  }
  const refusal =
    (await staleRunRefusal(db, message)) ??
    consentRefusal(await loadPreferences(db, message.customer_id), message.channel, message.category);
  if (refusal) {
    await db.transaction(async (tx) => {
      await settle(tx, messageId, 'suppressed', { error: refusal });
      // A try that failed before (an SMTP outage) left the mail recorded as queued in its thread: it will not go now.
      if (message.channel === 'email') await settleNotificationEmailRecord(tx, [notificationMessageId(message.idempotency_key, deps.fromAddress)], 'suppressed', refusal);
    });
    return 'suppressed';
  }
  return message.channel === 'email' ? sendEmail(deps, messageId, message) : sendSms(deps, messageId, message);
}

async function claim(db: Db, messageId: number): Promise<MessageRow | null> {
  const { rows } = await db.query<MessageRow>(
    `UPDATE notification_messages SET status = 'sending', updated_at = now()
      WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND updated_at < now() - $2::int * interval '1 millisecond'))
      RETURNING id, run_id, workflow_id, category, customer_id, order_id, channel, recipient, subject, body_text, body_html, idempotency_key, status`,
    [messageId, SENDING_LEASE_MS],
  );
  return rows[0] ?? null;
}

/**
 * A paused workflow sends nothing still pending: its messages stay queued until it resumes
 * (releaseHeldMessages). A resend is a person's explicit request and goes out regardless.
 */
async function workflowState(db: Db, message: MessageRow): Promise<{ paused: boolean; ignoresQuietHours: boolean }> {
  if (message.run_id === null) return { paused: false, ignoresQuietHours: true };
  const { rows } = await db.query<{ paused: boolean; ignores: boolean | null }>(
    `SELECT paused, (definition->>'ignore_quiet_hours')::boolean AS ignores FROM notification_workflows WHERE id = $1`,
    [message.workflow_id],
  );
  return { paused: rows[0]?.paused === true, ignoresQuietHours: rows[0]?.ignores === true };
}

/** When a message may not go now because of quiet hours, the end of the window; otherwise null. */
function quietHoursEnd(deps: DeliveryDeps, message: MessageRow, ignores: boolean): Date | null {
  if (!deps.quietHours || ignores) return null;
  const now = deps.quietHours.clock.now();
  const at = nextSendTime(now, message.channel, deps.quietHours.settings, deps.quietHours.timezone);
  return at.getTime() > now.getTime() ? at : null;
}

/** A run cancelled by a later event (delivered before the shipped mail went out) makes its waiting message stale. */
async function staleRunRefusal(db: Db, message: MessageRow): Promise<string | null> {
  if (message.run_id === null) return null;
  const { rows } = await db.query<{ status: string; outcome_detail: string }>(
    'SELECT status, outcome_detail FROM notification_runs WHERE id = $1',
    [message.run_id],
  );
  const run = rows[0];
  if (run?.status !== 'cancelled') return null;
  return `stale: run ${message.run_id} was cancelled${run.outcome_detail ? ` (${run.outcome_detail})` : ''} before the message went out`;
}

async function settle(
  db: Db,
  messageId: number,
  status: 'sent' | 'failed' | 'suppressed' | 'queued',
  fields: { providerId?: string; error?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE notification_messages
        SET status = $2, provider_id = COALESCE($3, provider_id), error = $4,
            sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [messageId, status, fields.providerId ?? null, fields.error ?? null],
  );
}

async function requeueAndThrow(db: Db, messageId: number, err: unknown): Promise<never> {
  await settle(db, messageId, 'queued', { error: `will retry: ${errorText(err)}` });
  throw new RetryableDeliveryError(messageId, `notification message ${messageId}: ${errorText(err)}`, { cause: err });
}

/**
 * Records the mail in email_messages as the email channel records its own (source
 * 'notification'), in the customer's thread about the order, or in a thread of its own, so a
 * reply to it finds its way back. A retry finds the record and reuses its threading.
 */
async function recordEmail(deps: DeliveryDeps, message: MessageRow, messageId: string): Promise<{ inReplyTo: string | null; references: string[] }> {
  return deps.db.transaction(async (tx) => {
    const { rows: known } = await tx.query<{ in_reply_to: string | null; reference_ids: string[] }>(
      `SELECT in_reply_to, reference_ids FROM email_messages WHERE message_id = $1`,
      [messageId],
    );
    if (known[0]) return { inReplyTo: known[0].in_reply_to, references: known[0].reference_ids };

    const counterpart = message.recipient.toLowerCase();
    const parent = message.order_id
      ? await findOrderSupportThread(tx, { recipient: message.recipient, customerId: message.customer_id, orderId: message.order_id })
      : null;
    let threadId: number;
    if (parent) {
      threadId = parent.threadId;
    } else {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO email_threads (root_message_id, counterpart, subject, customer_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (root_message_id) DO UPDATE SET updated_at = now() RETURNING id`,
        [messageId, counterpart, message.subject, message.customer_id],
      );
      threadId = Number(rows[0]!.id);
    }
    const inReplyTo = parent?.messageId ?? null;
    const references = parent ? replyReferences(parent) : [];
    await tx.query(
      `INSERT INTO email_messages (message_id, thread_id, direction, source, counterpart, from_address, to_addresses,
                                   subject, in_reply_to, reference_ids, body_text, outcome, customer_id)
       VALUES ($1, $2, 'outbound', 'notification', $3, $4, $5, $6, $7, $8, $9, 'queued', $10)
       ON CONFLICT (message_id) DO NOTHING`,
      [messageId, threadId, counterpart, deps.fromAddress, [message.recipient], message.subject, inReplyTo, references, message.body_text, message.customer_id],
    );
    await tx.query('UPDATE email_threads SET updated_at = now() WHERE id = $1', [threadId]);
    return { inReplyTo, references };
  });
}

async function sendEmail(deps: DeliveryDeps, id: number, message: MessageRow): Promise<DeliveryOutcome> {
  const messageId = notificationMessageId(message.idempotency_key, deps.fromAddress);
  let unsubscribe: Record<string, string>;
  try {
    unsubscribe = listUnsubscribeHeaders(deps.links.unsubscribe(message.customer_id, message.category));
  } catch (err) {
    // No retry mends a link that cannot be built (PUBLIC_URL is not http).
    await settle(deps.db, id, 'failed', { error: errorText(err) });
    return 'failed';
  }
  const { inReplyTo, references } = await recordEmail(deps, message, messageId);
  const settleRecord = (tx: Db, outcome: 'sent' | 'failed' | 'queued', detail: string) => settleNotificationEmailRecord(tx, [messageId], outcome, detail);
  try {
    await deps.mailer.send({
      from: { name: deps.storeName, address: deps.fromAddress },
      to: message.recipient,
      subject: message.subject,
      text: message.body_text,
      ...(message.body_html ? { html: message.body_html } : {}),
      messageId,
      inReplyTo,
      references,
      headers: { ...automaticMailHeaders('auto-generated'), ...unsubscribe },
    });
  } catch (err) {
    if (isRetryableMailError(err)) {
      await settleRecord(deps.db, 'queued', errorText(err));
      return requeueAndThrow(deps.db, id, err);
    }
    await deps.db.transaction(async (tx) => {
      await settle(tx, id, 'failed', { providerId: messageId, error: errorText(err) });
      await settleRecord(tx, 'failed', errorText(err));
    });
    return 'failed';
  }
  // The mail is out: a database restart now must not fail the job, or its retry would mail again.
  await retryWhileDatabaseUnavailable(() =>
    deps.db.transaction(async (tx) => {
      await settle(tx, id, 'sent', { providerId: messageId });
      await settleRecord(tx, 'sent', deps.mailer.kind);
    }),
  );
  return 'sent';
}

/** Twilio's error for a number that replied STOP to our sender: it will refuse every text until START. */
const TWILIO_OPTED_OUT = '21610';

async function sendSms(deps: DeliveryDeps, id: number, message: MessageRow): Promise<DeliveryOutcome> {
  const statusCallbackUrl = deps.statusCallbackUrl();
  let providerId: string;
  try {
    ({ providerId } = await deps.sms.send({
      to: message.recipient,
      body: message.body_text,
      idempotencyKey: message.idempotency_key,
      ...(statusCallbackUrl ? { statusCallbackUrl } : {}),
    }));
  } catch (err) {
    if (!(err instanceof SmsSendError) || err.retryable) return requeueAndThrow(deps.db, id, err);
    await settle(deps.db, id, 'failed', { error: err.code ? `${err.code}: ${err.message}` : err.message });
    // The carrier knows of a STOP we never saw (sent before we had the number, or lost): keep it, so nothing else is tried.
    if (String(err.code) === TWILIO_OPTED_OUT) {
      await updatePreferences(deps.db, message.customer_id, { smsStopped: true }, systemActor('sms-delivery'));
    }
    return 'failed';
  }
  await retryWhileDatabaseUnavailable(() => settle(deps.db, id, 'sent', { providerId }));
  // Twilio may report delivery before the send returned: a report kept for this SID applies now.
  await applySmsStatusReports(deps.db, providerId);
  return 'sent';
}
