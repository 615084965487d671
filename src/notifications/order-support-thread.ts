import type { Db } from '../db/db.js';

/** The message a notification answers in a thread: In-Reply-To points at it, References extend its chain. */
export interface ThreadParent {
  threadId: number;
  messageId: string;
  referenceIds: string[];
}

/**
 * The mail thread with this customer about this order, and its latest message: one holding an
 * earlier notification mail of the order, or one whose mail names the order (#W1234567 or
 * W1234567). Only threads with the same address on the customer's side count, so a notification
 * never joins a thread another mailbox can read. Null when there is none.
 */
export async function findOrderSupportThread(
  db: Db,
  q: { recipient: string; customerId: string; orderId: string },
): Promise<ThreadParent | null> {
  // A short id would match inside unrelated numbers; then only our own earlier mails count.
  const token = q.orderId.replace(/^#/, '').toLowerCase();
  const { rows } = await db.query<{ id: number }>(
    `SELECT t.id FROM email_threads t
      WHERE t.counterpart = $1 AND (t.customer_id IS NULL OR t.customer_id = $2)
        AND EXISTS (SELECT 1 FROM email_messages m
                     WHERE m.thread_id = t.id
                       AND (m.message_id IN (SELECT n.provider_id FROM notification_messages n
                                              WHERE n.order_id = $3 AND n.channel = 'email' AND n.provider_id IS NOT NULL)
                            OR ($4::text IS NOT NULL AND (strpos(lower(m.subject), $4) > 0 OR strpos(lower(m.body_text), $4) > 0))))
      ORDER BY t.updated_at DESC, t.id DESC LIMIT 1`,
    [q.recipient.toLowerCase(), q.customerId, q.orderId, token.length >= 6 ? token : null],
  );
  if (!rows[0]) return null;
  const threadId = Number(rows[0].id);
  const { rows: latest } = await db.query<{ message_id: string; reference_ids: string[] }>(
    `SELECT message_id, reference_ids FROM email_messages WHERE thread_id = $1 ORDER BY created_at DESC, message_id DESC LIMIT 1`,
    [threadId],
  );
  return latest[0] ? { threadId, messageId: latest[0].message_id, referenceIds: latest[0].reference_ids } : null;
}
