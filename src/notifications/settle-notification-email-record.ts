import type { Db } from '../db/db.js';

/**
 * Sets the outcome of notification mails' records in email_messages (the thread's copy, written
 * before the first try), keyed by Message-ID. A mail not yet tried has no record; nothing changes
 * for it.
 */
export async function settleNotificationEmailRecord(
  db: Db,
  messageIds: string[],
  outcome: 'sent' | 'failed' | 'queued' | 'suppressed',
  detail: string,
): Promise<void> {
  if (!messageIds.length) return;
  await db.query(`UPDATE email_messages SET outcome = $2, outcome_detail = $3 WHERE message_id = ANY($1::text[]) AND direction = 'outbound'`, [messageIds, outcome, detail]);
}
