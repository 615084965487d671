import type { Db } from '../db/db.js';
import { readStockLevels } from '../domain/inventory/lock-stock-levels.js';
import { projectStockCover } from './project-stock-cover.js';
import { demandForecastKey, readDemandForecasts } from './read-demand-forecasts.js';
import { DEFAULT_STOCK_SETTINGS } from './stock-monitor.js';

/** One variant at one active location that is low: few units left, or too few days of cover. */
export interface LowStockItem {
  sku: string;
  product: string;
  options: Record<string, string>;
  location_id: string;
  location: string;
  available: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  /** Forecast units a day; 0 without sales history. */
  daily_velocity: number;
  /** Days the available units last at the forecast; null without a trusted forecast. */
  days_of_cover: number | null;
}

export interface LowStockFilter {
  /** Low when available is at or below safety stock plus this many units. */
  maxAvailable: number;
  /** Low when cover is shorter than this many days (the replenishment lead time by default). */
  coverDays: number;
  limit: number;
  now: Date;
}

/**
 * The variants at active locations that run out first: shortest cover first, then fewest
 * available. Items without a trusted forecast are low only by units, since cover cannot be told.
 */
export async function listLowStock(db: Db, filter: Partial<LowStockFilter> = {}): Promise<{ items: LowStockItem[]; truncated: boolean }> {
  const { maxAvailable = 5, coverDays = DEFAULT_STOCK_SETTINGS.leadTimeDays, limit = 20, now = new Date() } = filter;
  const { rows: variants } = await db.query<{ id: string; sku: string; options: Record<string, string>; product: string }>(
    `SELECT v.id, v.sku, v.options, p.name AS product FROM variants v JOIN products p ON p.id = v.product_id
      WHERE EXISTS (SELECT 1 FROM inventory_levels l WHERE l.variant_id = v.id)`,
  );
  const byId = new Map(variants.map((v) => [v.id, v]));
  const { rows: locations } = await db.query<{ id: string; name: string }>('SELECT id, name FROM locations');
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const ids = variants.map((v) => v.id);
  const forecasts = await readDemandForecasts(db, ids);
  const low: LowStockItem[] = [];
  for (const level of await readStockLevels(db, ids)) {
    if (!level.locationActive) continue;
    const cover = projectStockCover(forecasts.get(demandForecastKey(level.variantId, level.locationId))?.state, level.available, now, DEFAULT_STOCK_SETTINGS.minHistoryDays);
    const fewUnits = level.available <= level.safetyStock + maxAvailable;
    const shortCover = cover.daysOfCover !== null && cover.daysOfCover < coverDays;
    if (!fewUnits && !shortCover) continue;
    const variant = byId.get(level.variantId)!;
    low.push({
      sku: variant.sku,
      product: variant.product,
      options: variant.options,
      location_id: level.locationId,
      location: locationName.get(level.locationId) ?? level.locationId,
      available: level.available,
      on_hand: level.onHand,
      reserved: level.reserved,
      safety_stock: level.safetyStock,
      daily_velocity: Math.round(cover.dailyVelocity * 100) / 100,
      days_of_cover: cover.daysOfCover === null ? null : Math.round(cover.daysOfCover * 10) / 10,
    });
  }
  low.sort((a, b) => (a.days_of_cover ?? Infinity) - (b.days_of_cover ?? Infinity) || a.available - b.available || a.sku.localeCompare(b.sku));
  return { items: low.slice(0, limit), truncated: low.length > limit };
}
