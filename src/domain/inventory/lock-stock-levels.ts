import type { Db } from '../../db/db.js';

export interface StockLevel {
  variantId: string;
  locationId: string;
  locationRegion: string;
  locationActive: boolean;
  onHand: number;
  reserved: number;
  available: number;
}

/**
 * Locks the level rows of the given variants at every location, always in (variant, location)
 * order so two transactions locking overlapping sets queue instead of deadlocking, then reads
 * on-hand and active reservations. Call inside the transaction that will reserve.
 */
export async function lockStockLevels(tx: Db, variantIds: string[]): Promise<StockLevel[]> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0) return [];
  const locked = await tx.query<{ variant_id: string; location_id: string; on_hand: number }>(
    `SELECT variant_id, location_id, on_hand FROM inventory_levels
     WHERE variant_id = ANY($1::text[]) ORDER BY variant_id, location_id FOR UPDATE`,
    [ids],
  );
  return withReservations(tx, locked.rows);
}

/** Current levels of the given variants without locking (for reads and reports). */
export async function readStockLevels(db: Db, variantIds: string[]): Promise<StockLevel[]> {
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return [];
  const rows = await db.query<{ variant_id: string; location_id: string; on_hand: number }>(
    `SELECT variant_id, location_id, on_hand FROM inventory_levels
     WHERE variant_id = ANY($1::text[]) ORDER BY variant_id, location_id`,
    [ids],
  );
  return withReservations(db, rows.rows);
}

async function withReservations(
  db: Db,
  levels: { variant_id: string; location_id: string; on_hand: number }[],
): Promise<StockLevel[]> {
  if (levels.length === 0) return [];
  const variantIds = [...new Set(levels.map((l) => l.variant_id))];
  const reserved = await db.query<{ variant_id: string; location_id: string; reserved: number }>(
    `SELECT variant_id, location_id, sum(quantity)::int AS reserved FROM reservations
     WHERE status = 'active' AND variant_id = ANY($1::text[]) GROUP BY variant_id, location_id`,
    [variantIds],
  );
  const locations = await db.query<{ id: string; region: string; active: boolean }>(
    'SELECT id, region, active FROM locations',
  );
  const reservedBy = new Map(reserved.rows.map((r) => [`${r.variant_id}\u0000${r.location_id}`, r.reserved]));
  const locationBy = new Map(locations.rows.map((l) => [l.id, l]));
  return levels.map((l) => {
    const held = reservedBy.get(`${l.variant_id}\u0000${l.location_id}`) ?? 0;
    const location = locationBy.get(l.location_id);
    return {
      variantId: l.variant_id,
      locationId: l.location_id,
      locationRegion: location?.region ?? '',
      locationActive: location?.active ?? false,
      onHand: l.on_hand,
      reserved: held,
      available: l.on_hand - held,
    };
  });
}
