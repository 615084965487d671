import type { Db } from '../db/db.js';

/** One delivery report from the SMS provider (Twilio's status callback). */
export interface SmsStatusReport {
  /** The provider's message id (Twilio's MessageSid). */
  messageSid: string;
  /** The provider's status word (queued, sent, delivered, undelivered, failed, read...). */
  status: string;
  /** The provider's error code on a failed or undelivered message (Twilio's ErrorCode, say 30003). */
  errorCode?: string | null;
  /** Every parameter of the report as received, kept for audit. */
  params?: Record<string, string>;
}

export interface SmsStatusOutcome {
  /** `updated`: the message moved forward; `unchanged`: it was already there or further; `unknown_message`: no SMS has this id. */
  outcome: 'updated' | 'unchanged' | 'unknown_message';
  /** False when this (id, status) had been reported before. */
  firstReport: boolean;
  messageId?: number;
  status?: string;
}

type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

// What each provider status means for our message; the others (queued, accepting, sending...) say nothing new.
const FROM_PROVIDER: Record<string, MessageStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

// A message only moves to a higher rank: a late "sent" never undoes "delivered", and the first
// final word (delivered, undelivered or failed) stands.
const RANK: Record<MessageStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/**
 * Records a delivery report and moves the SMS with that provider id forward to what the reports
 * say. Idempotent: the same report twice, or reports out of order, end in the same state. A report
 * for an id no message has yet is kept, and applied by `applySmsStatusReports` once the id is stored.
 */
export async function recordSmsStatus(db: Db, report: SmsStatusReport): Promise<SmsStatusOutcome> {
  const inserted = await db.query(
    `INSERT INTO sms_status_reports (message_sid, message_status, error_code, params)
     VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (message_sid, message_status) DO NOTHING`,
    [report.messageSid, report.status, report.errorCode || null, JSON.stringify(report.params ?? {})],
  );
  const outcome = await applySmsStatusReports(db, report.messageSid);
  return { ...outcome, firstReport: inserted.rowCount > 0 };
}

/**
 * Moves the SMS whose provider id is `messageSid` to the furthest status its stored reports give.
 * The sender calls it after storing a new provider id, for reports that arrived before it.
 */
export async function applySmsStatusReports(db: Db, messageSid: string): Promise<Omit<SmsStatusOutcome, 'firstReport'>> {
  const { rows: messages } = await db.query<{ id: number; status: string }>(
    `SELECT id, status FROM notification_messages WHERE provider_id = $1 AND channel = 'sms' ORDER BY id`,
    [messageSid],
  );
  if (messages.length === 0) return { outcome: 'unknown_message' };
  const { rows: reports } = await db.query<{ message_status: string; error_code: string | null }>(
    `SELECT message_status, error_code FROM sms_status_reports WHERE message_sid = $1 ORDER BY received_at, message_status`,
    [messageSid],
  );
  let target: { status: MessageStatus; error: string | null } | null = null;
  for (const r of reports) {
    const status = FROM_PROVIDER[r.message_status];
    if (status && (!target || RANK[status] > RANK[target.status])) target = { status, error: r.error_code };
  }
  const message = messages[0]!;
  if (!target) return { outcome: 'unchanged', messageId: message.id, status: message.status };
  const behind = (Object.keys(RANK) as MessageStatus[]).filter((s) => RANK[s] < RANK[target.status]);
  // The rank test is in the UPDATE itself, so two reports handled at once cannot move a message back.
  const { rows } = await db.query<{ id: number; status: string }>(
    `UPDATE notification_messages
        SET status = $2, error = COALESCE($3, error), updated_at = now()
      WHERE provider_id = $1 AND channel = 'sms' AND status IN (${behind.map((_, i) => `$${i + 4}`).join(', ')})
      RETURNING id, status`,
    [messageSid, target.status, target.error, ...behind],
  );
  if (rows.length > 0) return { outcome: 'updated', messageId: rows[0]!.id, status: rows[0]!.status };
  const { rows: now } = await db.query<{ status: string }>('SELECT status FROM notification_messages WHERE id = $1', [message.id]);
  return { outcome: 'unchanged', messageId: message.id, status: now[0]?.status ?? message.status };
}
