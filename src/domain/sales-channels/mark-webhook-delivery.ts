import type { Db } from '../../db/db.js';

/**
 * Records the outcome of working on a stored delivery: done (`processed_at`), or one more failed
 * attempt with its error, which keeps it on the visible list of unprocessed deliveries.
 */
export async function markWebhookDelivery(
  db: Db,
  d: { channel: string; deliveryId: string },
  outcome: { error: string | null },
): Promise<void> {
  if (outcome.error === null) {
    await db.query(
      `UPDATE webhook_deliveries SET processed_at = now(), attempts = attempts + 1, last_error = NULL WHERE channel = $1 AND delivery_id = $2`,
      [d.channel, d.deliveryId],
    );
    return;
  }
  await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3 WHERE channel = $1 AND delivery_id = $2`,
    [d.channel, d.deliveryId, outcome.error.slice(0, 2000)],
  );
}
