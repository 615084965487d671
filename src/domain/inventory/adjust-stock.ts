import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { recordArrival } from './record-arrival.js';
import { recordMovement } from './record-movement.js';
import { variantIdOfSku } from './variant-id-of-sku.js';

export interface StockAdjustment {
  sku: string;
  location_id: string;
  change: number;
  on_hand_before: number;
  on_hand_after: number;
  reason: string;
}

/**
 * A manual correction of on-hand stock (damage, shrinkage, a found carton), written as an
 * `adjustment` movement so the ledger explains the new figure. Units added go to backordered
 * lines at the location first.
 */
export async function adjustStock(
  db: Db,
  args: { sku: string; locationId: string; quantity: number; reason: string },
  actor: Actor,
): Promise<StockAdjustment> {
  const reason = args.reason.trim();
  if (!reason) throw new DomainError('invalid', 'adjustment_reason_required', 'a stock adjustment needs a reason');
  return db.transaction(async (tx) => {
    const variantId = await variantIdOfSku(tx, args.sku);
    const moved = await (args.quantity > 0 ? recordArrival : recordMovement)(tx, {
      variantId,
      locationId: args.locationId,
      quantity: args.quantity,
      kind: 'adjustment',
      reason,
      actor,
    });
    return {
      sku: args.sku,
      location_id: args.locationId,
      change: args.quantity,
      on_hand_before: moved.onHandBefore,
      on_hand_after: moved.onHandAfter,
      reason,
    };
  });
}
