import type { Db } from '../../db/db.js';

export interface StockSyncLag {
  channel: string;
  /** Variants whose stock change waits to be pushed to the channel. */
  pending: number;
  /** Seconds since the oldest of those changes; 0 when nothing waits. */
  oldestSeconds: number;
}

/** Per channel that has sync rows, how far the stock it shows lags behind ours. */
export async function readStockSyncLag(db: Db): Promise<StockSyncLag[]> {
  const { rows } = await db.query<{ channel: string; pending: number; oldest_seconds: number | null }>(
    `SELECT channel, count(*) FILTER (WHERE dirty)::int AS pending,
            extract(epoch FROM now() - min(dirty_since) FILTER (WHERE dirty))::float8 AS oldest_seconds
       FROM channel_stock_sync GROUP BY channel ORDER BY channel`,
  );
  return rows.map((r) => ({ channel: r.channel, pending: r.pending, oldestSeconds: Math.max(0, r.oldest_seconds ?? 0) }));
}
