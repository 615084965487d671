import type { Db } from '../../db/db.js';

/** Units of one SKU sent from one location by transfers since `since` (cancelled ones do not count). */
export async function transferredQuantitySince(db: Db, args: { sku: string; fromLocationId: string; since: Date }): Promise<number> {
  const { rows } = await db.query<{ units: number }>(
    `SELECT COALESCE(sum(t.quantity), 0)::int AS units
       FROM stock_transfers t JOIN variants v ON v.id = t.variant_id
      WHERE v.sku = $1 AND t.from_location_id = $2 AND t.status <> 'cancelled' AND t.shipped_at > $3`,
    [args.sku, args.fromLocationId, args.since],
  );
  return rows[0]!.units;
}
