import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { recordArrival } from './record-arrival.js';
import { recordMovement } from './record-movement.js';
import { variantIdOfSku } from './variant-id-of-sku.js';

export interface StockCount {
  sku: string;
  location_id: string;
  counted: number;
  on_hand_before: number;
  difference: number;
  movement_id: number | null;
  reason: string;
}

/**
 * A cycle count: what was counted on the shelf becomes on-hand, through a `count` movement of
 * the difference (none when the count agrees). The level is locked before it is read, so a sale
 * booked while the count is entered is not overwritten. Units a count finds go to backordered
 * lines at the location first.
 */
export async function countStock(
  db: Db,
  args: { sku: string; locationId: string; counted: number; reason: string },
  actor: Actor,
): Promise<StockCount> {
  if (!Number.isInteger(args.counted) || args.counted < 0) {
    throw new DomainError('invalid', 'invalid_count', `a count must be a whole number of units, 0 or more, got ${args.counted}`);
  }
  const reason = args.reason.trim();
  if (!reason) throw new DomainError('invalid', 'count_reason_required', 'a stock count needs a reason (for example "weekly cycle count")');
  return db.transaction(async (tx) => {
    const variantId = await variantIdOfSku(tx, args.sku);
    // All the variant's levels, in order: a count that raises on-hand fills backorders, which locks them all.
    await lockStockLevels(tx, [variantId]);
    const { rows } = await tx.query<{ on_hand: number }>(
      'SELECT on_hand FROM inventory_levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE',
      [variantId, args.locationId],
    );
    const before = rows[0]?.on_hand ?? 0;
    const difference = args.counted - before;
    let movementId: number | null = null;
    if (difference !== 0) {
      const moved = await (difference > 0 ? recordArrival : recordMovement)(tx, {
        variantId,
        locationId: args.locationId,
        quantity: difference,
        kind: 'count',
        reason: `counted ${args.counted}: ${reason}`,
        actor,
      });
      movementId = moved.id;
    } else {
      await recordAudit(tx, actor, {
        action: 'inventory.counted',
        entityType: 'inventory_level',
        entityId: `${variantId}@${args.locationId}`,
        data: { counted: args.counted, difference: 0, reason },
      });
    }
    return { sku: args.sku, location_id: args.locationId, counted: args.counted, on_hand_before: before, difference, movement_id: movementId, reason };
  });
}
