import type { Db } from '../../db/db.js';

export interface UnprocessedDelivery {
  deliveryId: string;
  topic: string;
  receivedAt: string;
  attempts: number;
  lastError: string | null;
}

/** A channel's stored deliveries not yet worked on successfully, oldest first: the visible backlog and dead letters. */
export async function listUnprocessedDeliveries(db: Db, channel: string, options: { limit?: number; maxAttempts?: number } = {}): Promise<UnprocessedDelivery[]> {
  const { rows } = await db.query<{ delivery_id: string; topic: string; received_at: Date | string; attempts: number; last_error: string | null }>(
    `SELECT delivery_id, topic, received_at, attempts, last_error FROM webhook_deliveries
      WHERE channel = $1 AND processed_at IS NULL AND ($2::int IS NULL OR attempts < $2)
      ORDER BY received_at, delivery_id LIMIT $3`,
    [channel, options.maxAttempts ?? null, Math.min(Math.max(options.limit ?? 100, 1), 1000)],
  );
  return rows.map((r) => ({
    deliveryId: r.delivery_id,
    topic: r.topic,
    receivedAt: new Date(r.received_at).toISOString(),
    attempts: Number(r.attempts),
    lastError: r.last_error,
  }));
}
