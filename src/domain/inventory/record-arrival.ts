import type { Db } from '../../db/db.js';
import { fillBackorders, type BackorderFill } from './fill-backorders.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { recordMovement, type MovementInput, type RecordedMovement } from './record-movement.js';

/**
 * A movement that adds units at a location, followed in the same transaction by the fill of the
 * lines backordered there. Every level of the variant is locked first, in the stable order: the
 * fill locks them all, and holding only the moved level while waiting for the others could
 * deadlock with a reservation that locked them in order.
 */
export async function recordArrival(db: Db, input: MovementInput): Promise<RecordedMovement & { filled: BackorderFill[] }> {
  return db.transaction(async (tx) => {
    await lockStockLevels(tx, [input.variantId]);
    const moved = await recordMovement(tx, input);
    const filled = await fillBackorders(tx, { variantId: input.variantId, locationId: input.locationId, actor: input.actor });
    return { ...moved, filled };
  });
}
