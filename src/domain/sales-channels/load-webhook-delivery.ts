import type { Db } from '../../db/db.js';

export interface StoredWebhookDelivery {
  channel: string;
  deliveryId: string;
  topic: string;
  payload: unknown;
  processedAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** A stored delivery, or null when there is none with that id. */
export async function loadWebhookDelivery(db: Db, channel: string, deliveryId: string): Promise<StoredWebhookDelivery | null> {
  const { rows } = await db.query<{
    topic: string;
    payload: unknown;
    processed_at: Date | string | null;
    attempts: number;
    last_error: string | null;
  }>('SELECT topic, payload, processed_at, attempts, last_error FROM webhook_deliveries WHERE channel = $1 AND delivery_id = $2', [
    channel,
    deliveryId,
  ]);
  const r = rows[0];
  if (!r) return null;
  return {
    channel,
    deliveryId,
    topic: r.topic,
    // PGlite and pg both parse jsonb, but a payload stored as a JSON string comes back as one.
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    processedAt: r.processed_at === null ? null : new Date(r.processed_at).toISOString(),
    attempts: Number(r.attempts),
    lastError: r.last_error,
  };
}
