import type { Db } from '../../db/db.js';

export interface ReconciliationRunRow {
  runId: number;
  channel: string;
  since: string;
  startedAt: string;
  finishedAt: string | null;
  seen: number;
  caught: number;
  caughtIds: string[];
  error: string | null;
}

/** The latest reconciliation runs, newest first, with what each caught: the missed-order metric. */
export async function listReconciliationRuns(db: Db, options: { channel?: string; limit?: number } = {}): Promise<ReconciliationRunRow[]> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const { rows } = await db.query<{
    id: number; channel: string; since: Date | string; started_at: Date | string; finished_at: Date | string | null;
    seen: number; caught: number; caught_ids: string[]; error: string | null;
  }>(
    `SELECT id, channel, since, started_at, finished_at, seen, caught, caught_ids, error FROM channel_reconciliation_runs
      WHERE ($1::text IS NULL OR channel = $1) ORDER BY started_at DESC, id DESC LIMIT $2`,
    [options.channel ?? null, limit],
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return rows.map((r) => ({
    runId: Number(r.id),
    channel: r.channel,
    since: iso(r.since),
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
    seen: Number(r.seen),
    caught: Number(r.caught),
    caughtIds: r.caught_ids ?? [],
    error: r.error,
  }));
}
