import type { Db } from '../../db/db.js';

/**
 * Notes that these variants' available stock changed, for every channel in `channels` that sells
 * them (has a channel_variants row): marks each (variant, channel) dirty and bumps its version.
 * Returns the channels where some row went from clean to dirty (or was failing): only those need
 * a push job, as a row already dirty is pushed, at its latest value, by the job already owed.
 */
export async function markChannelStockDirty(
  db: Db,
  variantIds: readonly string[],
  channels: readonly string[],
  now = new Date(),
): Promise<string[]> {
  const ids = [...new Set(variantIds)].sort();
  if (ids.length === 0 || channels.length === 0) return [];
  return db.transaction(async (tx) => {
    // Locked first (in key order, as every writer locks), so the clean-before test below is exact.
    const before = await tx.query<{ variant_id: string; channel: string; owed: boolean }>(
      // A failing row's job may have given up its retries; a new change starts another.
      `SELECT variant_id, channel, dirty AND attempts = 0 AS owed FROM channel_stock_sync
        WHERE variant_id = ANY($1::text[]) AND channel = ANY($2::text[])
        ORDER BY variant_id, channel FOR UPDATE`,
      [ids, channels],
    );
    const wasDirty = new Set(before.rows.filter((r) => r.owed).map((r) => `${r.variant_id}\u0000${r.channel}`));
    const { rows } = await tx.query<{ variant_id: string; channel: string }>(
      `INSERT INTO channel_stock_sync (variant_id, channel, dirty, dirty_since)
       SELECT DISTINCT variant_id, channel, true, $3::timestamptz FROM channel_variants
        WHERE variant_id = ANY($1::text[]) AND channel = ANY($2::text[])
       ORDER BY variant_id, channel
       ON CONFLICT (variant_id, channel) DO UPDATE
         SET dirty = true,
             dirty_since = COALESCE(channel_stock_sync.dirty_since, EXCLUDED.dirty_since),
             version = channel_stock_sync.version + 1,
             updated_at = now()
       RETURNING variant_id, channel`,
      [ids, channels, now],
    );
    return [...new Set(rows.filter((r) => !wasDirty.has(`${r.variant_id}\u0000${r.channel}`)).map((r) => r.channel))].sort();
  });
}
