import type { Db } from '../../db/db.js';
import { reportChannelStockProblems } from './report-channel-stock-problems.js';
import type { StockSyncSettings } from './stock-sync-settings.js';

/**
 * The safety net behind the event-driven pushes: marks mapped variants never pushed, reports
 * failures that have lasted past the threshold, and returns the channels that still have dirty
 * rows no job holds (a job that gave up after its retries, an enqueue lost after the row was
 * marked, a new mapping), so they get a push.
 */
export async function sweepChannelStock(
  db: Db,
  channels: readonly string[],
  settings: Pick<StockSyncSettings, 'mismatchMinutes'>,
  now = new Date(),
): Promise<{ channelsToPush: string[] }> {
  if (channels.length === 0) return { channelsToPush: [] };
  // A mapping made since the last stock change (a product just linked) has never been pushed.
  await db.query(
    `INSERT INTO channel_stock_sync (variant_id, channel, dirty, dirty_since)
     SELECT DISTINCT variant_id, channel, true, $2::timestamptz FROM channel_variants WHERE channel = ANY($1::text[])
     ORDER BY variant_id, channel
     ON CONFLICT (variant_id, channel) DO NOTHING`,
    [channels, now],
  );
  await db.transaction((tx) => reportChannelStockProblems(tx, channels, null, settings, now));
  const { rows } = await db.query<{ channel: string }>(
    `SELECT DISTINCT channel FROM channel_stock_sync
      WHERE channel = ANY($1::text[]) AND dirty AND (claimed_until IS NULL OR claimed_until < $2)
      ORDER BY channel`,
    [channels, now],
  );
  return { channelsToPush: rows.map((r) => r.channel) };
}
