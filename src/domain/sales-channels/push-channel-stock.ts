import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import { readStockLevels } from '../inventory/lock-stock-levels.js';
import { channelStockQuantity } from './channel-stock-quantity.js';
import { reportChannelStockProblems } from './report-channel-stock-problems.js';
import type { StockPush, StockPushResult, StorefrontChannel } from './storefront-channel.js';
import type { StockSyncSettings } from './stock-sync-settings.js';

// A job that keeps finding new sales stops after this many rounds and asks to run again,
// so one busy channel cannot hold a worker for ever.
const MAX_ROUNDS = 200;

export interface ChannelStockPushOutcome {
  /** pushStock calls made. */
  calls: number;
  pushed: number;
  failed: number;
  mismatched: number;
  /** Rows were still dirty when the job stopped at its round limit: run it again. */
  more: boolean;
}

interface ClaimedRow {
  variant_id: string;
  version: string;
  channel_quantity: number | null;
  pushed_quantity: number | null;
  /** The channel holds what we last set and nothing is failing or disputed. */
  in_step: boolean;
  /** A problem of this row was reported and not yet its recovery. */
  reported: boolean;
  pushes: number;
}

interface MappingRow {
  variant_id: string;
  external_variant_id: string;
  external_product_id: string | null;
  external_inventory_item_id: string | null;
}

/**
 * Pushes the current sellable quantity of every dirty variant of one channel, a batch per call,
 * until none is left. Each batch is claimed first (a row another job holds is skipped), its
 * quantities read after the claim, and a row is cleared only if no change arrived meanwhile,
 * so the channel ends on the latest value with one call per round, not one per sale.
 * Throws when any push failed, after recording it, so the job is retried with backoff.
 */
export async function pushChannelStock(
  db: Db,
  channel: StorefrontChannel,
  options: { settings: StockSyncSettings; now?: () => Date },
): Promise<ChannelStockPushOutcome> {
  const now = options.now ?? (() => new Date());
  const outcome: ChannelStockPushOutcome = { calls: 0, pushed: 0, failed: 0, mismatched: 0, more: false };
  for (let round = 0; ; round++) {
    if (round === MAX_ROUNDS) {
      outcome.more = true;
      return outcome;
    }
    const claimed = await claimDirty(db, channel.channel, now(), options.settings);
    if (claimed.length === 0) return outcome;
    const result = await pushClaimed(db, channel, claimed, options.settings, now).catch(async (err: unknown) => {
      // Recording failed (the push may have happened): free the rows so the retry can run at once.
      await releaseClaims(db, channel.channel, claimed.map((c) => c.variant_id)).catch(() => undefined);
      throw err;
    });
    outcome.calls++;
    outcome.pushed += result.pushed;
    outcome.failed += result.failed.length;
    outcome.mismatched += result.mismatched;
    if (result.failed.length > 0) {
      throw new DomainError(
        'conflict',
        'stock_push_failed',
        `stock push to ${channel.channel} failed for ${result.failed.length} of ${claimed.length} variants (${result.failed.slice(0, 3).join('; ')})`,
      );
    }
  }
}

async function claimDirty(db: Db, channel: string, now: Date, settings: StockSyncSettings): Promise<ClaimedRow[]> {
  // No SKIP LOCKED: a row is locked mostly by an event marking it, and skipping it would end the
  // job while the marker, seeing the row dirty already, starts none. The outer conditions are
  // checked again after a lock wait, so two jobs never claim one row.
  const { rows } = await db.query<ClaimedRow>(
    `UPDATE channel_stock_sync SET claimed_until = $3
      WHERE channel = $1 AND dirty AND (claimed_until IS NULL OR claimed_until < $2)
        AND variant_id IN (
          SELECT variant_id FROM channel_stock_sync
           WHERE channel = $1 AND dirty AND (claimed_until IS NULL OR claimed_until < $2)
           ORDER BY dirty_since, variant_id LIMIT $4)
     RETURNING variant_id, version::text AS version, channel_quantity, pushed_quantity, pushes,
               (pushed_quantity IS NOT NULL AND channel_quantity = pushed_quantity AND failing_since IS NULL AND mismatch_since IS NULL) AS in_step,
               problem_reported_at IS NOT NULL AS reported`,
    [channel, now, new Date(now.getTime() + settings.claimSeconds * 1000), settings.batchSize],
  );
  return rows.sort((a, b) => (a.variant_id < b.variant_id ? -1 : 1));
}

async function releaseClaims(db: Db, channel: string, variantIds: string[]): Promise<void> {
  await db.query('UPDATE channel_stock_sync SET claimed_until = NULL WHERE channel = $1 AND variant_id = ANY($2::text[])', [channel, variantIds]);
}

async function pushClaimed(
  db: Db,
  channel: StorefrontChannel,
  claimed: ClaimedRow[],
  settings: StockSyncSettings,
  now: () => Date,
): Promise<{ pushed: number; failed: string[]; mismatched: number }> {
  const variantIds = claimed.map((c) => c.variant_id);
  const levels = await readStockLevels(db, variantIds);
  const quantity = new Map(variantIds.map((id) => [id, channelStockQuantity(levels.filter((l) => l.variantId === id))]));
  const { rows: mappings } = await db.query<MappingRow>(
    `SELECT variant_id, external_variant_id, external_product_id, external_inventory_item_id FROM channel_variants
      WHERE channel = $1 AND variant_id = ANY($2::text[]) ORDER BY variant_id, external_variant_id`,
    [channel.channel, variantIds],
  );
  const row = new Map(claimed.map((c) => [c.variant_id, c]));
  // A change already pushed by the round before (its event came after that round's claim) needs no call.
  const unchanged = (c: ClaimedRow) => c.in_step && c.pushed_quantity === quantity.get(c.variant_id);
  const pushes: StockPush[] = mappings.filter((m) => !unchanged(row.get(m.variant_id)!)).map((m) => {
    const c = row.get(m.variant_id)!;
    const q = quantity.get(m.variant_id)!;
    return {
      variantId: m.variant_id,
      externalVariantId: m.external_variant_id,
      externalProductId: m.external_product_id,
      externalInventoryItemId: m.external_inventory_item_id,
      quantity: q,
      expected: c.channel_quantity,
      // The push's ordinal, value and compare value: a retry of the same call repeats the key (a
      // channel replays the first answer to a repeated key), a new value or compare value does not.
      idempotencyKey: `stock-${channel.channel}-${m.external_variant_id}-n${c.pushes + 1}-q${q}-e${c.channel_quantity ?? 'none'}`,
    };
  });

  let results: StockPushResult[];
  try {
    results = pushes.length > 0 ? await channel.pushStock(pushes) : [];
  } catch (err) {
    const error = (err as Error)?.message ?? String(err);
    results = pushes.map((p) => ({ variantId: p.variantId, ok: false, error }));
  }

  const at = now();
  const failed: string[] = [];
  let pushed = 0;
  let mismatched = 0;
  const seenMismatch: string[] = [];
  const done: { id: string; q: number; told: number | null; sent: boolean; mismatch: boolean; version: string }[] = [];
  const refused: { id: string; error: string; mismatch: boolean; told: number | null }[] = [];
  for (const c of claimed) {
    const mine = results.filter((r) => r.variantId === c.variant_id);
    const sent = pushes.some((p) => p.variantId === c.variant_id);
    const bad = mine.find((r) => !r.ok);
    const told = mine.find((r) => r.channelQuantity !== undefined)?.channelQuantity ?? null;
    // A channel that, after a successful set, holds something else disagrees with us just as much.
    const mismatch = mine.some((r) => r.mismatch === true || (r.ok && r.channelQuantity !== undefined && r.channelQuantity !== quantity.get(c.variant_id)));
    if (mismatch) {
      mismatched++;
      seenMismatch.push(c.variant_id);
    }
    // Nothing sent (the value is there already, or the mapping was removed since): the row is done.
    if (!sent || (mine.length > 0 && !bad)) {
      if (sent) pushed++;
      done.push({ id: c.variant_id, q: quantity.get(c.variant_id)!, told, sent, mismatch, version: c.version });
    } else {
      const error = bad?.error ?? (mine.length === 0 ? 'the channel returned no result for this variant' : 'push refused');
      failed.push(`${c.variant_id}: ${error}`);
      refused.push({ id: c.variant_id, error: error.slice(0, 1000), mismatch, told });
    }
  }
  await db.transaction(async (tx) => {
    if (done.length > 0) {
      await tx.query(
        `UPDATE channel_stock_sync s SET
           pushed_quantity = CASE WHEN u.sent THEN u.q ELSE s.pushed_quantity END,
           pushed_at = CASE WHEN u.sent THEN $2::timestamptz ELSE s.pushed_at END,
           pushes = s.pushes + CASE WHEN u.sent THEN 1 ELSE 0 END,
           channel_quantity = CASE WHEN u.sent THEN COALESCE(u.told, u.q) ELSE s.channel_quantity END,
           attempts = 0, last_error = NULL, failing_since = NULL,
           -- Agreement returns only once a push finds what we set last: a set that overwrote
           -- another writer's value ends nothing, or one who keeps writing would never show.
           mismatch_since = CASE WHEN u.mismatch THEN COALESCE(s.mismatch_since, $2::timestamptz)
                                 WHEN s.channel_quantity IS DISTINCT FROM s.pushed_quantity THEN s.mismatch_since
                                 ELSE NULL END,
           dirty = (s.version <> u.version),
           dirty_since = CASE WHEN s.version <> u.version THEN s.dirty_since ELSE NULL END,
           claimed_until = NULL, updated_at = now()
         FROM unnest($3::text[], $4::int[], $5::int[], $6::bool[], $7::bool[], $8::bigint[]) AS u(variant_id, q, told, sent, mismatch, version)
         WHERE s.channel = $1 AND s.variant_id = u.variant_id`,
        [
          channel.channel,
          at,
          done.map((d) => d.id),
          done.map((d) => d.q),
          done.map((d) => d.told),
          done.map((d) => d.sent),
          done.map((d) => d.mismatch),
          done.map((d) => d.version),
        ],
      );
    }
    if (refused.length > 0) {
      await tx.query(
        `UPDATE channel_stock_sync s SET
           attempts = s.attempts + 1, last_error = u.error,
           failing_since = COALESCE(s.failing_since, $2::timestamptz),
           mismatch_since = CASE WHEN u.mismatch THEN COALESCE(s.mismatch_since, $2::timestamptz) ELSE s.mismatch_since END,
           -- A refused compare-and-set without the channel's value: the next push sets ours unconditionally.
           channel_quantity = CASE WHEN u.mismatch AND u.told IS NULL THEN NULL ELSE COALESCE(u.told, s.channel_quantity) END,
           claimed_until = NULL, updated_at = now()
         FROM unnest($3::text[], $4::text[], $5::bool[], $6::int[]) AS u(variant_id, error, mismatch, told)
         WHERE s.channel = $1 AND s.variant_id = u.variant_id`,
        [channel.channel, at, refused.map((r) => r.id), refused.map((r) => r.error), refused.map((r) => r.mismatch), refused.map((r) => r.told)],
      );
    }
    // Only a failure, a mismatch or a reported row can start or end a problem.
    if (refused.length > 0 || seenMismatch.length > 0 || claimed.some((c) => c.reported || !c.in_step)) {
      await reportChannelStockProblems(tx, [channel.channel], variantIds, settings, at, seenMismatch);
    }
  });
  return { pushed, failed, mismatched };
}
