import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import type { CreateOrderOptions } from '../orders/create-order.js';
import { ingestChannelOrder } from '../orders/ingest-channel-order.js';
import type { StorefrontChannel } from './storefront-channel.js';

export interface ReconciliationRun {
  runId: number;
  channel: string;
  since: string;
  seen: number;
  /** Orders the channel has that the ledger missed, now taken in. */
  caught: number;
  caughtIds: string[];
}

const MAX_PAGES = 200;

/**
 * Webhooks are not guaranteed: pages the channel's orders changed since `since` and takes in every
 * one the ledger does not have. The run and what it caught are recorded, so the count is a metric.
 */
export async function reconcileChannelOrders(
  db: Db,
  channel: StorefrontChannel,
  since: Date,
  actor: Actor,
  options: CreateOrderOptions = {},
): Promise<ReconciliationRun> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO channel_reconciliation_runs (channel, since) VALUES ($1, $2) RETURNING id',
    [channel.channel, since.toISOString()],
  );
  const runId = Number(rows[0]!.id);
  let seen = 0;
  const caughtIds: string[] = [];
  try {
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await channel.listOrdersSince(since, cursor);
      seen += result.orders.length;
      const known = await knownExternalIds(db, channel.channel, result.orders.map((o) => o.externalId));
      for (const o of result.orders) {
        if (known.has(o.externalId)) continue;
        const ingested = await ingestChannelOrder(db, o.order, actor, options);
        if (ingested.created) caughtIds.push(o.externalId);
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
  } catch (err) {
    await finishRun(db, runId, seen, caughtIds, (err as Error).message ?? String(err));
    throw err;
  }
  await finishRun(db, runId, seen, caughtIds, null);
  return { runId, channel: channel.channel, since: since.toISOString(), seen, caught: caughtIds.length, caughtIds };
}

async function knownExternalIds(db: Db, channel: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM orders WHERE channel = $1 AND external_id = ANY($2::text[])',
    [channel, ids],
  );
  return new Set(rows.map((r) => r.external_id));
}

async function finishRun(db: Db, runId: number, seen: number, caughtIds: string[], error: string | null): Promise<void> {
  await db.query(
    `UPDATE channel_reconciliation_runs SET finished_at = now(), seen = $2, caught = $3, caught_ids = $4, error = $5 WHERE id = $1`,
    [runId, seen, caughtIds.length, caughtIds, error],
  );
}
