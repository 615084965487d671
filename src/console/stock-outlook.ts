import { projectStockCover } from '../anomaly/project-stock-cover.js';
import { demandForecastKey, readDemandForecasts } from '../anomaly/read-demand-forecasts.js';
import { DEFAULT_STOCK_SETTINGS } from '../anomaly/stock-monitor.js';
import type { Db } from '../db/db.js';
import { skuMatchSql } from '../domain/catalog/sku-match-sql.js';
import { DomainError } from '../domain/domain-error.js';
import type { InventoryLevelItem } from '../domain/inventory/list-inventory-levels.js';
import { readStockLevels } from '../domain/inventory/lock-stock-levels.js';
import { decodePageCursor } from '../domain/paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../domain/paging/page.js';
import { readChannelSyncStatuses, type ChannelSyncStatus } from '../domain/sales-channels/get-channel-sync-status.js';

/** One variant at one location, with how long its available units last. */
export interface StockOutlookLocation extends Omit<InventoryLevelItem, 'sku' | 'variant_id' | 'product_id' | 'name'> {
  /** Forecast units sold a day (today's weekday); 0 without sales. */
  daily_velocity: number;
  /** Null without sales or before the forecast has enough history. */
  days_of_cover: number | null;
  projected_stockout_at: string | null;
  /** Days of sales history behind the forecast. */
  forecast_days: number;
}

/** in_sync: the channel holds what we would push now; behind: a change is not there yet; failing: pushes fail. */
export type ChannelSyncState = 'in_sync' | 'behind' | 'failing';

export interface StockOutlookChannel {
  channel: string;
  state: ChannelSyncState;
  last_pushed_at: string | null;
  pushed_quantity: number | null;
  /** What the channel said it holds after the last call. */
  channel_quantity: number | null;
  /** What the channel should show now (the variant's quantity_now). */
  quantity_now: number;
  pending_since: string | null;
  failed_attempts: number;
  failing_since: string | null;
  error: string | null;
}

export interface StockOutlook {
  sku: string;
  variant_id: string;
  product_id: string;
  name: string;
  /** What every channel should show: available at active locations minus safety stock. */
  quantity_now: number;
  locations: StockOutlookLocation[];
  channels: StockOutlookChannel[];
}

export interface StockOutlookFilter {
  /** A whole SKU, case-insensitive; an unknown one is a not_found error. */
  sku?: string;
  /** Only this location's level (and variants stocked there). */
  location?: string;
}

const LIST = 'stock-outlook';

export function channelSyncState(s: Pick<ChannelSyncStatus, 'in_sync' | 'failed_attempts'>): ChannelSyncState {
  if (s.failed_attempts > 0) return 'failing';
  return s.in_sync ? 'in_sync' : 'behind';
}

interface VariantRow {
  id: string;
  sku: string;
  product_id: string;
  name: string;
}

/** The variants of one page: the one SKU asked for, or every variant with a stock level, by SKU. */
async function variantPage(db: Db, filter: StockOutlookFilter, page: PageRequest): Promise<VariantRow[]> {
  const columns = `v.id, v.sku, v.product_id, p.name FROM variants v JOIN products p ON p.id = v.product_id`;
  if (filter.sku !== undefined) {
    const { rows } = await db.query<VariantRow>(`SELECT ${columns} WHERE ${skuMatchSql('v', '$1')}`, [filter.sku]);
    if (!rows[0]) throw new DomainError('not_found', 'sku_not_found', `SKU ${filter.sku} not found`);
    return rows;
  }
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  const where = [
    `EXISTS (SELECT 1 FROM inventory_levels l WHERE l.variant_id = v.id${filter.location !== undefined ? ` AND l.location_id = ${param(filter.location)}` : ''})`,
  ];
  if (page.cursor !== null) {
    const [sku] = decodePageCursor(LIST, page.cursor, ['string']);
    where.push(`v.sku COLLATE "C" > ${param(sku)}::text COLLATE "C"`);
  }
  const { rows } = await db.query<VariantRow>(
    `SELECT ${columns} WHERE ${where.join(' AND ')} ORDER BY v.sku COLLATE "C" LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return rows;
}

interface ItemCover {
  variantId: string;
  level: Omit<StockOutlookLocation, 'location_name'>;
}

/** Levels and cover of every location of the given variants, with the stock monitor's forecast. */
async function coverOf(db: Db, variantIds: readonly string[], now: Date): Promise<ItemCover[]> {
  const levels = await readStockLevels(db, [...variantIds]);
  const forecasts = await readDemandForecasts(db, variantIds);
  return levels.map((l) => {
    const cover = projectStockCover(forecasts.get(demandForecastKey(l.variantId, l.locationId))?.state, l.available, now, DEFAULT_STOCK_SETTINGS.minHistoryDays);
    return {
      variantId: l.variantId,
      level: {
        location_id: l.locationId,
        on_hand: l.onHand,
        reserved: l.reserved,
        available: l.available,
        safety_stock: l.safetyStock,
        daily_velocity: Math.round(cover.dailyVelocity * 100) / 100,
        days_of_cover: cover.daysOfCover === null ? null : Math.round(cover.daysOfCover * 10) / 10,
        projected_stockout_at: cover.projectedStockoutAt?.toISOString() ?? null,
        forecast_days: cover.historyDays,
      },
    };
  });
}

/**
 * Stock per variant and location with days of cover and the projected stock-out (the forecast
 * the stock monitor flags from), and the variant's stock sync state on each sales channel.
 * One SKU, or every stocked variant by SKU a page at a time.
 */
export async function listStockOutlook(db: Db, filter: StockOutlookFilter, page: PageRequest, now: Date = new Date()): Promise<Page<StockOutlook>> {
  const rows = await variantPage(db, filter, page);
  const shown = rows.slice(0, page.limit);
  const ids = shown.map((v) => v.id);
  const covers = await coverOf(db, ids, now);
  const sync = await readChannelSyncStatuses(db, shown);
  const names = new Map(
    (await db.query<{ id: string; name: string }>(`SELECT id, name FROM locations WHERE id = ANY($1::text[])`, [[...new Set(covers.map((c) => c.level.location_id))]])).rows.map(
      (r) => [r.id, r.name],
    ),
  );
  const syncOf = new Map(sync.map((s) => [s.variant_id, s]));
  return takePage(LIST, rows, page.limit, (v) => [v.sku], (v) => {
    const status = syncOf.get(v.id);
    const quantityNow = status?.quantity_now ?? 0;
    return {
      sku: v.sku,
      variant_id: v.id,
      product_id: v.product_id,
      name: v.name,
      quantity_now: quantityNow,
      locations: covers
        .filter((c) => c.variantId === v.id && (filter.location === undefined || c.level.location_id === filter.location))
        .map((c) => ({ ...c.level, location_name: names.get(c.level.location_id) ?? c.level.location_id })),
      channels: (status?.channels ?? []).map((c) => ({
        channel: c.channel,
        state: channelSyncState(c),
        last_pushed_at: c.pushed_at,
        pushed_quantity: c.pushed_quantity,
        channel_quantity: c.channel_quantity,
        quantity_now: quantityNow,
        pending_since: c.pending ? c.dirty_since : null,
        failed_attempts: c.failed_attempts,
        failing_since: c.failing_since,
        error: c.last_error,
      })),
    };
  });
}

/** When each stocked item (a variant at a location) is projected to run out; items that are not are left out. */
export async function listProjectedStockouts(db: Db, now: Date = new Date()): Promise<{ variantId: string; locationId: string; at: Date }[]> {
  const { rows } = await db.query<{ variant_id: string }>(`SELECT DISTINCT variant_id FROM inventory_levels`);
  const covers = await coverOf(db, rows.map((r) => r.variant_id), now);
  return covers.flatMap((c) =>
    c.level.projected_stockout_at === null ? [] : [{ variantId: c.variantId, locationId: c.level.location_id, at: new Date(c.level.projected_stockout_at) }],
  );
}
