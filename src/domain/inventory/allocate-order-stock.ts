import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import type { Allocation, AllocationLine, AllocationStrategy } from './allocation-strategy.js';
import { defaultAllocationStrategy } from './default-allocation-strategy.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { regionOfAddress } from './region-of-address.js';

/**
 * Locks the levels of every variant on the order and asks the strategy where to take the units
 * from. The locks stay until the caller's transaction ends, so the reservations it then writes
 * hold exactly what the strategy saw. Throws `insufficient` naming the SKU when nothing can fill.
 */
export async function allocateOrderStock(
  tx: Db,
  input: {
    lines: AllocationLine[];
    address: { country: string; state: string };
    strategy?: AllocationStrategy;
  },
): Promise<Allocation[]> {
  const strategy = input.strategy ?? defaultAllocationStrategy;
  const levels = await lockStockLevels(tx, input.lines.map((l) => l.variantId));
  const result = strategy.allocate({
    lines: input.lines,
    region: regionOfAddress(input.address),
    stock: levels
      .filter((l) => l.locationActive)
      .map((l) => ({
        variantId: l.variantId,
        locationId: l.locationId,
        locationRegion: l.locationRegion,
        available: l.available,
      })),
  });
  if (!result.ok) {
    throw new DomainError(
      'insufficient',
      'insufficient_stock',
      `Not enough stock available for ${result.sku} (wanted ${result.wanted}, available ${result.available})`,
    );
  }
  return result.allocations;
}
