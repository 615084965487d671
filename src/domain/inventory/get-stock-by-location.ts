import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import { readStockLevels } from './lock-stock-levels.js';
import { listTransfersInTransit } from './stock-transfer.js';

export interface StockAtLocation {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  /** On hand minus reserved. */
  available: number;
  /** Available minus safety stock (never below 0): what routing may still promise here. */
  promisable: number;
  safety_stock: number;
  /** Units on their way here in open transfers. */
  in_transit: number;
}

/** More rows than this are cut off, so a whole location's listing stays readable. */
const MAX_ROWS = 200;

/**
 * Stock per variant and location, for one SKU, one location, or both: what is on the shelf,
 * held, free, promisable, and on its way in. Ordered by SKU, then location.
 */
export async function getStockByLocation(
  db: Db,
  filter: { sku?: string; locationId?: string },
): Promise<{ rows: StockAtLocation[]; truncated: boolean }> {
  if (!filter.sku && !filter.locationId) throw new DomainError('invalid', 'filter_required', 'give a SKU, a location, or both');
  const { rows: variants } = await db.query<{ id: string; sku: string }>(
    `SELECT DISTINCT v.id, v.sku FROM variants v
       LEFT JOIN inventory_levels l ON l.variant_id = v.id
       LEFT JOIN stock_transfers t ON t.variant_id = v.id AND t.status = 'in_transit'
      WHERE ($1::text IS NULL OR v.sku = $1)
        AND ($2::text IS NULL OR l.location_id = $2 OR t.to_location_id = $2)
      ORDER BY v.sku LIMIT ${MAX_ROWS + 1}`,
    [filter.sku ?? null, filter.locationId ?? null],
  );
  if (filter.sku && variants.length === 0) {
    const known = await db.query('SELECT 1 FROM variants WHERE sku = $1', [filter.sku]);
    if (known.rows.length === 0) throw new DomainError('not_found', 'sku_not_found', `SKU ${filter.sku} not found`);
  }
  const ids = variants.map((v) => v.id);
  const skuOf = new Map(variants.map((v) => [v.id, v.sku]));
  const rows = new Map<string, StockAtLocation>();
  const key = (variantId: string, locationId: string) => `${variantId}\u0000${locationId}`;
  for (const l of await readStockLevels(db, ids)) {
    rows.set(key(l.variantId, l.locationId), {
      sku: skuOf.get(l.variantId)!,
      location_id: l.locationId,
      on_hand: l.onHand,
      reserved: l.reserved,
      available: l.available,
      promisable: l.promisable,
      safety_stock: l.safetyStock,
      in_transit: 0,
    });
  }
  for (const t of await listTransfersInTransit(db, { variantIds: ids })) {
    const k = key(t.variant_id, t.to_location_id);
    const row = rows.get(k) ?? {
      sku: t.sku,
      location_id: t.to_location_id,
      on_hand: 0,
      reserved: 0,
      available: 0,
      promisable: 0,
      safety_stock: 0,
      in_transit: 0,
    };
    row.in_transit += t.quantity;
    rows.set(k, row);
  }
  const all = [...rows.values()]
    .filter((r) => !filter.locationId || r.location_id === filter.locationId)
    .sort((a, b) => (a.sku === b.sku ? (a.location_id < b.location_id ? -1 : 1) : a.sku < b.sku ? -1 : 1));
  return { rows: all.slice(0, MAX_ROWS), truncated: all.length > MAX_ROWS || variants.length > MAX_ROWS };
}
