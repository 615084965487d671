import type { Db } from '../../db/db.js';

/**
 * Where the next reconciliation of a channel starts: a margin before the start of its last run
 * that finished cleanly, so runs overlap and a failed run's window is covered by the next; the
 * fallback window when it never ran cleanly.
 */
export async function reconciliationSince(db: Db, channel: string, now: Date, options: { marginMs: number; fallbackMs: number }): Promise<Date> {
  const { rows } = await db.query<{ started_at: Date | string | null }>(
    `SELECT max(started_at) AS started_at FROM channel_reconciliation_runs
      WHERE channel = $1 AND finished_at IS NOT NULL AND error IS NULL`,
    [channel],
  );
  const last = rows[0]?.started_at;
  if (!last) return new Date(now.getTime() - options.fallbackMs);
  return new Date(new Date(last).getTime() - options.marginMs);
}
