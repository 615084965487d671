import type { Db } from '../../../db/db.js';
import { listUnprocessedDeliveries } from '../../../domain/sales-channels/list-unprocessed-deliveries.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';

/** Tries after which a stored delivery is no longer queued again on its own (it stays listed with its error). */
export const REDRIVE_MAX_ATTEMPTS = 50;

/** Queues again every stored Shopify delivery not yet processed (and not given up on); returns how many. */
export async function redriveShopifyDeliveries(db: Db, enqueue: (deliveryId: string) => Promise<unknown>): Promise<number> {
  const pending = await listUnprocessedDeliveries(db, SHOPIFY_CHANNEL, { maxAttempts: REDRIVE_MAX_ATTEMPTS, limit: 500 });
  for (const d of pending) await enqueue(d.deliveryId);
  return pending.length;
}
