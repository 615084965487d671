import type { Db } from '../db/db.js';
import { loadOrderObservation } from './load-order-observation.js';
import { PostgresFeatureCounters } from './postgres-feature-counters.js';

const CHECKPOINT = 'feature_counters';

export interface BackfillOptions {
  /** Orders read per query. */
  batchSize?: number;
  /** Stop after this many orders (the checkpoint keeps the place); all when omitted. */
  maxOrders?: number;
  log?: (line: string) => void;
  /** Stops the run between two orders (the checkpoint keeps the place). */
  signal?: AbortSignal;
}

export interface BackfillResult {
  /** Orders folded into the counters by this run. */
  observed: number;
  /** Orders folded in by every run so far. */
  total: number;
  /** True when the whole history has been read. */
  finished: boolean;
}

/**
 * Builds the risk feature counters from the order history, oldest order first, so that a store
 * with orders from before detection was on scores its next order against its real history. Each
 * order and the checkpoint commit together: a run that stops resumes after the last order it
 * folded in, and an order the counters already saw (scored live) is not counted again. Nothing
 * is scored, flagged or held: this only gives the counters their past.
 */
export async function backfillFeatureCounters(db: Db, options: BackfillOptions = {}): Promise<BackfillResult> {
  const batchSize = options.batchSize ?? 500;
  await db.query('INSERT INTO anomaly_backfill_checkpoints (name) VALUES ($1) ON CONFLICT DO NOTHING', [CHECKPOINT]);
  let observed = 0;
  for (;;) {
    const cp = (
      await db.query<{ placed_at: Date | null; order_id: string | null; observed: number; finished_at: Date | null }>(
        'SELECT placed_at, order_id, observed, finished_at FROM anomaly_backfill_checkpoints WHERE name = $1',
        [CHECKPOINT],
      )
    ).rows[0]!;
    const room = options.maxOrders === undefined ? batchSize : Math.min(batchSize, options.maxOrders - observed);
    if (room <= 0 || options.signal?.aborted) return { observed, total: cp.observed, finished: cp.finished_at !== null };
    const batch = await db.query<{ id: string; placed_at: Date }>(
      cp.order_id === null
        ? 'SELECT id, placed_at FROM orders ORDER BY placed_at, id LIMIT $1'
        : 'SELECT id, placed_at FROM orders WHERE (placed_at, id) > ($2, $3) ORDER BY placed_at, id LIMIT $1',
      cp.order_id === null ? [room] : [room, cp.placed_at, cp.order_id],
    );
    if (batch.rows.length === 0) {
      await db.query('UPDATE anomaly_backfill_checkpoints SET finished_at = now() WHERE name = $1', [CHECKPOINT]);
      options.log?.(`anomaly backfill: done, ${cp.observed} orders in the counters`);
      return { observed, total: cp.observed, finished: true };
    }
    let inBatch = 0;
    for (const row of batch.rows) {
      if (options.signal?.aborted) break;
      await db.transaction(async (tx) => {
        const { observation } = await loadOrderObservation(tx, row.id);
        await new PostgresFeatureCounters(tx).observe(observation);
        await tx.query(
          `UPDATE anomaly_backfill_checkpoints SET placed_at = $2, order_id = $3, observed = observed + 1, finished_at = NULL
            WHERE name = $1`,
          [CHECKPOINT, row.placed_at, row.id],
        );
      });
      observed++;
      inBatch++;
    }
    options.log?.(`anomaly backfill: ${cp.observed + inBatch} orders in the counters so far`);
  }
}

/** True once a backfill has read the whole order history. */
export async function featureCountersBackfilled(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ finished_at: Date | null }>('SELECT finished_at FROM anomaly_backfill_checkpoints WHERE name = $1', [CHECKPOINT]);
  return !!rows[0]?.finished_at;
}
