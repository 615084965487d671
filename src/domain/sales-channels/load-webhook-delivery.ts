import type { Db } from '../../db/db.js';

export interface StoredWebhookDelivery {
  channel: string;
  deliveryId: string;
  topic: string;
  payload: unknown;
  processedAt: string | null;
  attempts: number;
}

/** A stored delivery by its channel and delivery id, or null. */
export async function loadWebhookDelivery(db: Db, channel: string, deliveryId: string): Promise<StoredWebhookDelivery | null> {
  const { rows } = await db.query<{ topic: string; payload: unknown; processed_at: Date | string | null; attempts: number }>(
    'SELECT topic, payload, processed_at, attempts FROM webhook_deliveries WHERE channel = $1 AND delivery_id = $2',
    [channel, deliveryId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    channel,
    deliveryId,
    topic: r.topic,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    processedAt: r.processed_at ? new Date(r.processed_at).toISOString() : null,
    attempts: Number(r.attempts),
  };
}
