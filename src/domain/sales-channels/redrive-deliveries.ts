import type { Db } from '../../db/db.js';
import { listUnprocessedDeliveries } from './list-unprocessed-deliveries.js';

/** Tries after which a stored delivery is no longer queued again on its own (it stays listed with its error). */
export const REDRIVE_MAX_ATTEMPTS = 50;

/**
 * Queues again every stored delivery of a channel not yet processed (and not given up on); returns
 * how many. The stored delivery is the record: a job lost with an in-process queue at a restart, or
 * one that ran out of tries, is run again from it.
 */
export async function redriveDeliveries(db: Db, channel: string, enqueue: (deliveryId: string) => Promise<unknown>): Promise<number> {
  const pending = await listUnprocessedDeliveries(db, channel, { maxAttempts: REDRIVE_MAX_ATTEMPTS, limit: 500 });
  for (const d of pending) await enqueue(d.deliveryId);
  return pending.length;
}
