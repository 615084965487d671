import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import { readStockLevels } from './lock-stock-levels.js';
import { skuMatchSql } from '../catalog/sku-match-sql.js';

export interface InventoryAtLocation {
  location_id: string;
  location_name: string;
  region: string;
  active: boolean;
  on_hand: number;
  reserved: number;
  available: number;
}

export interface InventoryBySku {
  sku: string;
  variant_id: string;
  product_id: string;
  name: string;
  totals: { on_hand: number; reserved: number; available: number };
  locations: InventoryAtLocation[];
}

/** Stock of one SKU at every location that has a level for it; available is computed. */
export async function getInventoryBySku(db: Db, sku: string): Promise<InventoryBySku> {
  const variant = await db.query<{ id: string; sku: string; product_id: string; name: string }>(
    `SELECT v.id, v.sku, v.product_id, p.name FROM variants v JOIN products p ON p.id = v.product_id WHERE ${skuMatchSql('v', '$1')}`,
    [sku],
  );
  const v = variant.rows[0];
  if (!v) throw new DomainError('not_found', 'sku_not_found', `SKU ${sku} not found`);
  const levels = await readStockLevels(db, [v.id]);
  const names = await db.query<{ id: string; name: string }>('SELECT id, name FROM locations');
  const nameOf = new Map(names.rows.map((l) => [l.id, l.name]));
  const locations = levels.map((l) => ({
    location_id: l.locationId,
    location_name: nameOf.get(l.locationId) ?? l.locationId,
    region: l.locationRegion,
    active: l.locationActive,
    on_hand: l.onHand,
    reserved: l.reserved,
    available: l.available,
  }));
  const sum = (f: (l: InventoryAtLocation) => number) => locations.reduce((s, l) => s + f(l), 0);
  return {
    sku: v.sku,
    variant_id: v.id,
    product_id: v.product_id,
    name: v.name,
    totals: { on_hand: sum((l) => l.on_hand), reserved: sum((l) => l.reserved), available: sum((l) => l.available) },
    locations,
  };
}
