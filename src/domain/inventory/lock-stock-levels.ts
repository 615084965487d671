import type { Db } from '../../db/db.js';

export interface StockLevel {
  variantId: string;
  locationId: string;
  locationRegion: string;
  locationActive: boolean;
  onHand: number;
  reserved: number;
  /** On hand minus active reservations. */
  available: number;
  /** Units of this variant kept back from every promise (per location). */
  safetyStock: number;
  /** What may still be promised here: available minus safety stock, never below 0. */
  promisable: number;
  /** Whether the variant may be sold beyond what is promisable ('allow') or not ('deny'). */
  backorderPolicy: BackorderPolicy;
}

export type BackorderPolicy = 'deny' | 'allow';

export interface LevelRow {
  variant_id: string;
  location_id: string;
  on_hand: number;
  region: string;
  active: boolean;
  safety_stock: number;
  backorder_policy: BackorderPolicy;
}

/** The level rows of the variants whose ids `ids` (an SQL text[] expression) lists, in lock order. */
const levelsSql = (ids: string) => `
  SELECT l.variant_id, l.location_id, l.on_hand, loc.region, loc.active, v.safety_stock, v.backorder_policy
    FROM inventory_levels l JOIN locations loc ON loc.id = l.location_id JOIN variants v ON v.id = l.variant_id
   WHERE l.variant_id = ANY(${ids})
   ORDER BY l.variant_id, l.location_id`;

const LOCK_LEVELS_SQL = `${levelsSql('$1::text[]')} FOR UPDATE OF l`;

/**
 * Locks the level rows of the given variants at every location, always in (variant, location)
 * order so two transactions locking overlapping sets queue instead of deadlocking, and returns
 * on-hand, active reservations and what is left. Call inside the transaction that will reserve.
 */
export async function lockStockLevels(tx: Db, variantIds: string[]): Promise<StockLevel[]> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0) return [];
  const { rows } = await tx.query<LevelRow>(LOCK_LEVELS_SQL, [ids]);
  // Reservations are read by a second statement on purpose: under READ COMMITTED a statement
  // that waited for the lock still reads other tables as of its start, so a subquery here would
  // miss the reservations the previous lock holder just committed.
  return withReservations(tx, rows);
}

/** The levels of the variants `ids` (an SQL text[] expression) lists, with their active reservations summed, read without a lock. */
export const levelsWithReservedSql = (ids: string) => `
  SELECT l.*, COALESCE((SELECT sum(r.quantity)::int FROM reservations r
                         WHERE r.status = 'active' AND r.variant_id = l.variant_id AND r.location_id = l.location_id), 0) AS reserved
    FROM (${levelsSql(ids)}) l
   ORDER BY l.variant_id, l.location_id`;

/**
 * Takes the level locks of the given variants, in the same order as lockStockLevels, and returns
 * which (variant, location) rows it locked: for a caller whose next statement reads what it needs
 * under them, and must count a level row committed since as nothing, since it holds no lock on it.
 */
export async function lockStockLevelRows(tx: Db, variantIds: string[]): Promise<{ variantIds: string[]; locationIds: string[] }> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0) return { variantIds: [], locationIds: [] };
  const { rows } = await tx.query<LevelRow>(LOCK_LEVELS_SQL, [ids]);
  return { variantIds: rows.map((r) => r.variant_id), locationIds: rows.map((r) => r.location_id) };
}

/** Current levels of the given variants without locking (for reads and reports). */
export async function readStockLevels(db: Db, variantIds: string[]): Promise<StockLevel[]> {
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return [];
  // Without a lock there is no wait, so one statement reads levels and reservations alike.
  const { rows } = await db.query<LevelRow & { reserved: number }>(levelsWithReservedSql('$1::text[]'), [ids]);
  return rows.map((l) => stockLevelOf(l, l.reserved));
}

async function withReservations(db: Db, levels: LevelRow[]): Promise<StockLevel[]> {
  if (levels.length === 0) return [];
  const { rows } = await db.query<{ variant_id: string; location_id: string; reserved: number }>(
    `SELECT variant_id, location_id, sum(quantity)::int AS reserved FROM reservations
      WHERE status = 'active' AND variant_id = ANY($1::text[]) GROUP BY variant_id, location_id`,
    [[...new Set(levels.map((l) => l.variant_id))]],
  );
  const reservedAt = new Map(rows.map((r) => [`${r.variant_id}\u0000${r.location_id}`, r.reserved]));
  return levels.map((l) => stockLevelOf(l, reservedAt.get(`${l.variant_id}\u0000${l.location_id}`) ?? 0));
}

export function stockLevelOf(l: LevelRow, reserved: number): StockLevel {
  const available = l.on_hand - reserved;
  return {
    variantId: l.variant_id,
    locationId: l.location_id,
    locationRegion: l.region,
    locationActive: l.active,
    onHand: l.on_hand,
    reserved,
    available,
    safetyStock: l.safety_stock,
    promisable: Math.max(0, available - l.safety_stock),
    backorderPolicy: l.backorder_policy,
  };
}
