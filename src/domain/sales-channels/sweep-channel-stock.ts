import type { Db } from '../../db/db.js';
import { reportChannelStockProblems } from './report-channel-stock-problems.js';
import type { StockSyncSettings } from './stock-sync-settings.js';

/**
 * The safety net behind the event-driven pushes: reports failures that have lasted past the
 * threshold, and returns the channels that still have dirty rows no job holds (a job that gave
 * up after its retries, or an enqueue lost after the row was marked), so they get a push again.
 */
export async function sweepChannelStock(
  db: Db,
  channels: readonly string[],
  settings: Pick<StockSyncSettings, 'mismatchMinutes'>,
  now = new Date(),
): Promise<{ channelsToPush: string[] }> {
  if (channels.length === 0) return { channelsToPush: [] };
  await db.transaction((tx) => reportChannelStockProblems(tx, channels, null, settings, now));
  const { rows } = await db.query<{ channel: string }>(
    `SELECT DISTINCT channel FROM channel_stock_sync
      WHERE channel = ANY($1::text[]) AND dirty AND (claimed_until IS NULL OR claimed_until < $2)
      ORDER BY channel`,
    [channels, now],
  );
  return { channelsToPush: rows.map((r) => r.channel) };
}
