import type { Db } from '../../db/db.js';

/**
 * Records how the work on a stored delivery went: `error` null marks it processed; otherwise the
 * error is kept (and the attempt counted) and it stays pending, visible with the others that failed.
 */
export async function finishWebhookDelivery(db: Db, channel: string, deliveryId: string, error: string | null): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries
        SET attempts = attempts + 1,
            processed_at = CASE WHEN $3::text IS NULL THEN now() ELSE processed_at END,
            last_error = $3
      WHERE channel = $1 AND delivery_id = $2`,
    [channel, deliveryId, error],
  );
}
