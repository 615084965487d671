import type { StockLevel } from '../inventory/lock-stock-levels.js';

/**
 * What a channel should show for one variant: at each active location the available units
 * (on hand minus active reservations) less the safety stock kept back there, never below 0,
 * summed. Per location, because safety stock is kept back per location and an order is promised
 * from one location's stock: a deficit at one cannot eat what another may still promise.
 * Inactive locations are left out, as routing leaves them out.
 */
export function channelStockQuantity(levels: readonly Pick<StockLevel, 'available' | 'safetyStock' | 'locationActive'>[]): number {
  let total = 0;
  for (const l of levels) {
    if (l.locationActive) total += Math.max(0, l.available - l.safetyStock);
  }
  return total;
}
