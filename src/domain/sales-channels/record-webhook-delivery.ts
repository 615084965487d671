import type { Db } from '../../db/db.js';

export interface WebhookDelivery {
  channel: string;
  deliveryId: string;
  topic: string;
  payload: unknown;
}

/**
 * Stores a verified delivery before it is answered; the work on it is a job. A delivery id seen
 * before is a redelivery: `duplicate` is true and nothing is written.
 */
export async function recordWebhookDelivery(db: Db, d: WebhookDelivery): Promise<{ duplicate: boolean }> {
  const { rows } = await db.query<{ delivery_id: string }>(
    `INSERT INTO webhook_deliveries (channel, delivery_id, topic, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, delivery_id) DO NOTHING RETURNING delivery_id`,
    [d.channel, d.deliveryId, d.topic, JSON.stringify(d.payload)],
  );
  return { duplicate: rows.length === 0 };
}
