import type { Db } from '../../db/db.js';
import { decodePageCursor } from '../paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../paging/page.js';
import { readStockLevels } from './lock-stock-levels.js';

/** Stock of one variant at one location; available is computed (on hand minus active reservations). */
export interface InventoryLevelItem {
  sku: string;
  variant_id: string;
  product_id: string;
  name: string;
  location_id: string;
  location_name: string;
  on_hand: number;
  reserved: number;
  available: number;
  safety_stock: number;
}

const LIST = 'inventory';

/**
 * Every stock level by SKU, then location, a page at a time. `sku` is matched whole, ignoring
 * case; `location` is a location id.
 */
export async function listInventoryLevels(db: Db, filter: { sku?: string; location?: string }, page: PageRequest): Promise<Page<InventoryLevelItem>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.sku !== undefined) where.push(`lower(v.sku) = lower(${param(filter.sku)})`);
  if (filter.location !== undefined) where.push(`l.location_id = ${param(filter.location)}`);
  if (page.cursor !== null) {
    const [sku, location] = decodePageCursor(LIST, page.cursor, ['string', 'string']);
    // Compared in the collation the list is sorted by, or a page could skip or repeat a row.
    where.push(`(v.sku COLLATE "C", l.location_id COLLATE "C") > (${param(sku)}::text COLLATE "C", ${param(location)}::text COLLATE "C")`);
  }
  const { rows } = await db.query<{ sku: string; variant_id: string; product_id: string; name: string; location_id: string; location_name: string }>(
    `SELECT v.sku, v.id AS variant_id, v.product_id, p.name, l.location_id, loc.name AS location_name
       FROM inventory_levels l JOIN variants v ON v.id = l.variant_id JOIN products p ON p.id = v.product_id
       JOIN locations loc ON loc.id = l.location_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY v.sku COLLATE "C", l.location_id COLLATE "C" LIMIT ${param(page.limit + 1)}`,
    params,
  );
  // The same reading of on hand and reservations every other stock view uses.
  const levels = await readStockLevels(db, rows.slice(0, page.limit).map((r) => r.variant_id));
  const levelAt = new Map(levels.map((l) => [`${l.variantId}\u0000${l.locationId}`, l]));
  return takePage(
    LIST,
    rows,
    page.limit,
    (r) => [r.sku, r.location_id],
    (r) => {
      const level = levelAt.get(`${r.variant_id}\u0000${r.location_id}`);
      return {
        ...r,
        on_hand: level?.onHand ?? 0,
        reserved: level?.reserved ?? 0,
        available: level?.available ?? 0,
        safety_stock: level?.safetyStock ?? 0,
      };
    },
  );
}
