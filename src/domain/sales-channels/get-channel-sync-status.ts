import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import { readStockLevels } from '../inventory/lock-stock-levels.js';
import { channelStockQuantity } from './channel-stock-quantity.js';
import { skuMatchSql } from '../catalog/sku-match-sql.js';

export interface ChannelSyncStatus {
  channel: string;
  external_variant_ids: string[];
  /** The last value the channel accepted from us, and when; null before the first push. */
  pushed_quantity: number | null;
  pushed_at: string | null;
  /** What the channel said it holds after the last call. */
  channel_quantity: number | null;
  /** A change is waiting to be pushed (since `dirty_since`). */
  pending: boolean;
  dirty_since: string | null;
  /** Pushes that failed in a row, the last error, and since when they fail. */
  failed_attempts: number;
  last_error: string | null;
  failing_since: string | null;
  /** Since when the channel keeps holding a value other than ours; null when it agrees. */
  mismatch_since: string | null;
  /** The persisting failure or mismatch was reported (a stock flag is raised for it). */
  problem_reported: boolean;
  /** Nothing pending and the channel has the quantity we would push now. */
  in_sync: boolean;
}

export interface ChannelSyncStatusBySku {
  sku: string;
  variant_id: string;
  /** What every channel should show now: available at active locations minus safety stock. */
  quantity_now: number;
  channels: ChannelSyncStatus[];
}

interface Row {
  channel: string;
  external_variant_ids: string[];
  pushed_quantity: number | null;
  pushed_at: Date | string | null;
  channel_quantity: number | null;
  dirty: boolean | null;
  dirty_since: Date | string | null;
  attempts: number | null;
  last_error: string | null;
  failing_since: Date | string | null;
  mismatch_since: Date | string | null;
  problem_reported_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** Stock sync state of one SKU on every channel that sells it (has a channel_variants row). */
export async function getChannelSyncStatus(db: Db, sku: string): Promise<ChannelSyncStatusBySku> {
  const variant = await db.query<{ id: string; sku: string }>(`SELECT v.id, v.sku FROM variants v WHERE ${skuMatchSql('v', '$1')}`, [sku]);
  const v = variant.rows[0];
  if (!v) throw new DomainError('not_found', 'sku_not_found', `SKU ${sku} not found`);
  return (await readChannelSyncStatuses(db, [v]))[0]!;
}

/** The same for several variants at once (a page of a stock list), in the order given. */
export async function readChannelSyncStatuses(db: Db, variants: readonly { id: string; sku: string }[]): Promise<ChannelSyncStatusBySku[]> {
  if (variants.length === 0) return [];
  const ids = variants.map((v) => v.id);
  const levels = await readStockLevels(db, ids);
  const { rows } = await db.query<Row & { variant_id: string }>(
    `SELECT m.variant_id, m.channel, m.external_variant_ids, s.pushed_quantity, s.pushed_at, s.channel_quantity, s.dirty, s.dirty_since,
            s.attempts, s.last_error, s.failing_since, s.mismatch_since, s.problem_reported_at
       FROM (SELECT variant_id, channel, array_agg(external_variant_id ORDER BY external_variant_id) AS external_variant_ids
               FROM channel_variants WHERE variant_id = ANY($1::text[]) GROUP BY variant_id, channel) m
       LEFT JOIN channel_stock_sync s ON s.variant_id = m.variant_id AND s.channel = m.channel
      ORDER BY m.variant_id, m.channel`,
    [ids],
  );
  return variants.map((v) => {
    const quantityNow = channelStockQuantity(levels.filter((l) => l.variantId === v.id));
    return {
      sku: v.sku,
      variant_id: v.id,
      quantity_now: quantityNow,
      channels: rows.filter((r) => r.variant_id === v.id).map((r) => ({
        channel: r.channel,
        external_variant_ids: r.external_variant_ids,
        pushed_quantity: r.pushed_quantity,
        pushed_at: iso(r.pushed_at),
        channel_quantity: r.channel_quantity,
        pending: r.dirty === true,
        dirty_since: iso(r.dirty_since),
        failed_attempts: r.attempts ?? 0,
        last_error: r.last_error,
        failing_since: iso(r.failing_since),
        mismatch_since: iso(r.mismatch_since),
        problem_reported: r.problem_reported_at !== null,
        in_sync: r.dirty !== true && r.pushed_quantity === quantityNow && (r.channel_quantity ?? r.pushed_quantity) === quantityNow,
      })),
    };
  });
}
