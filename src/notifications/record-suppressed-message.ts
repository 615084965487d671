import type { Db } from '../db/db.js';
import type { QueuedMessage } from './queue-notification-message.js';

/**
 * Records a message a workflow meant to send and did not (no consent, no address or number we
 * can use), with the reason in `error`, so an operator sees why nothing went. Keyed like the send
 * it stands for: a step run again records it once.
 */
export async function recordSuppressedMessage(
  tx: Db,
  m: Omit<QueuedMessage, 'subject' | 'bodyText' | 'bodyHtml' | 'resendOf'> & { reason: string },
): Promise<{ id: number; created: boolean }> {
  const { rows } = await tx.query<{ id: string | number }>(
    `INSERT INTO notification_messages
       (run_id, workflow_id, template, category, customer_id, order_id, channel, recipient, body_text, idempotency_key, status, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, 'suppressed', $10)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [m.runId, m.workflowId, m.template, m.category, m.customerId, m.orderId, m.channel, m.recipient, m.idempotencyKey, m.reason],
  );
  if (rows[0]) return { id: Number(rows[0].id), created: true };
  const { rows: existing } = await tx.query<{ id: string | number }>('SELECT id FROM notification_messages WHERE idempotency_key = $1', [m.idempotencyKey]);
  return { id: Number(existing[0]!.id), created: false };
}
