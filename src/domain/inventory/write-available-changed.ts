import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';

/** Topic of the event written whenever available stock moves without a movement (reservations, policy, locations). */
export const AVAILABLE_CHANGED_TOPIC = 'inventory.available_changed';

/**
 * Tells subscribers (channel stock push) that the available quantity of these variants may have
 * changed, in the caller's transaction. One event per transaction, however many units or rows:
 * subscribers re-read the quantity, so the event carries only which variants to look at.
 * Movements need no call: their `inventory.movement` event says the same.
 */
export async function writeAvailableChanged(tx: Db, variantIds: readonly string[], cause: string): Promise<void> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0) return;
  await writeOutbox(tx, AVAILABLE_CHANGED_TOPIC, availableChangedPayload(ids, cause));
}

/** The event's payload for variant ids already deduplicated and sorted. */
export const availableChangedPayload = (variantIds: readonly string[], cause: string) => ({ variantIds, cause, at: new Date().toISOString() });
