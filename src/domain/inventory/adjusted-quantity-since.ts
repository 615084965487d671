import type { Db } from '../../db/db.js';

/**
 * Units moved by manual adjustments of one SKU at one location since `since`, counted without
 * sign: removing 50 and adding 50 back is 100 units of adjustment, not none.
 */
export async function adjustedQuantitySince(db: Db, args: { sku: string; locationId: string; since: Date }): Promise<number> {
  const { rows } = await db.query<{ units: number }>(
    `SELECT COALESCE(sum(abs(m.quantity)), 0)::int AS units
       FROM inventory_movements m JOIN variants v ON v.id = m.variant_id
      WHERE v.sku = $1 AND m.location_id = $2 AND m.kind = 'adjustment' AND m.created_at > $3`,
    [args.sku, args.locationId, args.since],
  );
  return rows[0]!.units;
}
