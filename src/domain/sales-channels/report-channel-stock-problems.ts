import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { StockSyncSettings } from './stock-sync-settings.js';

/** Topic of the event written when a channel's stock stays wrong past the threshold, and when it is right again. */
export const CHANNEL_STOCK_PROBLEM_TOPIC = 'channel_stock.sync_problem';

export interface ChannelStockProblemEvent {
  state: 'problem' | 'recovered';
  variantId: string;
  sku: string;
  channel: string;
  /** First failed push of the current run of failures; null when pushes succeed. */
  failingSince: string | null;
  /** First time the channel reported a value other than the one we had set there. */
  mismatchSince: string | null;
  attempts: number;
  lastError: string | null;
  pushedQuantity: number | null;
  channelQuantity: number | null;
}

interface ProblemRow {
  variant_id: string;
  sku: string;
  channel: string;
  failing_since: Date | string | null;
  mismatch_since: Date | string | null;
  attempts: number;
  last_error: string | null;
  pushed_quantity: number | null;
  channel_quantity: number | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Writes one problem event per (variant, channel) whose pushes have failed, or whose channel has
 * disagreed with us, for longer than `mismatchMinutes`, and one recovered event when a reported
 * row is healthy again. A mismatch counts only while it is still being seen (`mismatchedNow`, the
 * variants whose push just met one): one we overwrote and never met again is no problem. Each
 * state is reported once (problem_reported_at), so the sweep and every push may call it.
 * `variantIds` null looks at every row of the channels given.
 */
export async function reportChannelStockProblems(
  tx: Db,
  channels: readonly string[],
  variantIds: readonly string[] | null,
  settings: Pick<StockSyncSettings, 'mismatchMinutes'>,
  now: Date,
  mismatchedNow: readonly string[] = [],
): Promise<ChannelStockProblemEvent[]> {
  if (channels.length === 0) return [];
  const cutoff = new Date(now.getTime() - settings.mismatchMinutes * 60_000);
  const scope = `s.channel = ANY($1::text[]) AND ($2::text[] IS NULL OR s.variant_id = ANY($2::text[]))`;
  const returning = `RETURNING s.variant_id, v.sku, s.channel, s.failing_since, s.mismatch_since, s.attempts, s.last_error,
                               s.pushed_quantity, s.channel_quantity`;
  const problems = await tx.query<ProblemRow>(
    `UPDATE channel_stock_sync s SET problem_reported_at = $4 FROM variants v
      WHERE v.id = s.variant_id AND ${scope} AND s.problem_reported_at IS NULL
        AND (s.failing_since <= $3 OR (s.mismatch_since <= $3 AND s.variant_id = ANY($5::text[])))
     ${returning}`,
    [channels, variantIds, cutoff, now, [...mismatchedNow]],
  );
  const recovered = await tx.query<ProblemRow>(
    `UPDATE channel_stock_sync s SET problem_reported_at = NULL FROM variants v
      WHERE v.id = s.variant_id AND ${scope} AND s.problem_reported_at IS NOT NULL
        AND s.failing_since IS NULL AND s.mismatch_since IS NULL
     ${returning}`,
    [channels, variantIds],
  );
  const events = [
    ...problems.rows.map((r) => toEvent('problem', r)),
    ...recovered.rows.map((r) => toEvent('recovered', r)),
  ].sort((a, b) => (a.channel + a.variantId < b.channel + b.variantId ? -1 : 1));
  for (const e of events) await writeOutbox(tx, CHANNEL_STOCK_PROBLEM_TOPIC, { ...e });
  return events;
}

function toEvent(state: ChannelStockProblemEvent['state'], r: ProblemRow): ChannelStockProblemEvent {
  return {
    state,
    variantId: r.variant_id,
    sku: r.sku,
    channel: r.channel,
    failingSince: iso(r.failing_since),
    mismatchSince: iso(r.mismatch_since),
    attempts: r.attempts,
    lastError: r.last_error,
    pushedQuantity: r.pushed_quantity,
    channelQuantity: r.channel_quantity,
  };
}
