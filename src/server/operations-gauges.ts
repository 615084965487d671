import { Gauge, type Registry } from 'prom-client';
import { countWaitingApprovals } from '../agent/count-waiting-approvals.js';
import type { Db } from '../db/db.js';
import { countOrdersByStatus } from '../domain/orders/count-orders-by-status.js';
import { readStockSyncLag } from '../domain/sales-channels/read-stock-sync-lag.js';
import { readJobBacklog } from '../jobs/read-job-backlog.js';

export interface OperationsGaugeOptions {
  /** How long one count of orders per status is reused by later scrapes (default 5 s). */
  ordersCacheMs?: number;
}

/**
 * The gauges read from the database when a scrape asks, so every process reports the state of
 * the whole installation rather than of its own work: backlog, dead letters, waiting approvals,
 * orders per status and how far channel stock lags.
 */
export function registerOperationsGauges(registry: Registry, db: Db, options: OperationsGaugeOptions = {}): void {
  const registers = [registry];
  // Gauges fed by one read share it within a scrape (depth, oldest age and dead letters; both stock sync ones).
  const backlog = cachedFor(0, () => readJobBacklog(db));
  const stockSync = cachedFor(0, () => readStockSyncLag(db));
  const orders = cachedFor(options.ordersCacheMs ?? 5_000, () => countOrdersByStatus(db));
  new Gauge({
    name: 'orderops_queue_depth',
    help: 'Jobs waiting to run (outbox events not yet done, retries backing off included)',
    labelNames: ['queue'],
    registers,
    collect: eachLabel('queue', async () => (await backlog()).waiting, (w) => [w.queue, w.count]),
  });
  new Gauge({
    name: 'orderops_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to run, 0 when none waits',
    labelNames: ['queue'],
    registers,
    collect: eachLabel('queue', async () => (await backlog()).waiting, (w) => [w.queue, w.oldestSeconds]),
  });
  new Gauge({
    name: 'orderops_failed_jobs_not_retried',
    help: 'Jobs on the dead-letter list that nobody has retried',
    labelNames: ['queue'],
    registers,
    collect: eachLabel('queue', async () => (await backlog()).failedNotRetried, (f) => [f.queue, f.count]),
  });
  new Gauge({
    name: 'orderops_approvals_waiting',
    help: 'Approvals waiting for a decision (pending and not expired)',
    registers,
    async collect() {
      this.set(await countWaitingApprovals(db));
    },
  });
  new Gauge({
    name: 'orderops_orders',
    help: 'Orders per status',
    labelNames: ['status'],
    registers,
    collect: eachLabel('status', async () => [...(await orders())], (entry) => entry),
  });
  new Gauge({
    name: 'orderops_stock_sync_pending',
    help: 'Variants whose stock change waits to be pushed to the sales channel',
    labelNames: ['channel'],
    registers,
    collect: eachLabel('channel', stockSync, (l) => [l.channel, l.pending]),
  });
  new Gauge({
    name: 'orderops_stock_sync_lag_seconds',
    help: 'Age of the oldest stock change not yet pushed to the sales channel, 0 when none waits',
    labelNames: ['channel'],
    registers,
    collect: eachLabel('channel', stockSync, (l) => [l.channel, l.oldestSeconds]),
  });
}

/**
 * A collect function that replaces a one-label gauge's series with one per row read, so a label
 * value that no longer occurs (a queue with no dead letters left) disappears.
 */
function eachLabel<L extends string, T>(label: L, read: () => Promise<readonly T[]>, pick: (row: T) => readonly [string, number]) {
  return async function collect(this: Gauge<L>) {
    const rows = await read();
    this.reset();
    for (const row of rows) {
      const [value, count] = pick(row);
      this.set({ [label]: value } as Partial<Record<L, string>>, count);
    }
  };
}

/**
 * `read` shared by the calls within `ms` of the first, and always by the calls made while it is
 * in flight (the gauges of one scrape collect at the same time). A failed read is not kept.
 */
function cachedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  let settled = false;
  let at = 0;
  return () => {
    if (value && (!settled || Date.now() - at < ms)) return value;
    settled = false;
    const current = read().finally(() => {
      settled = true;
      at = Date.now();
    });
    current.catch(() => {
      if (value === current) value = undefined;
    });
    value = current;
    return current;
  };
}
