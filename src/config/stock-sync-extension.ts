import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import { AVAILABLE_CHANGED_TOPIC } from '../domain/inventory/write-available-changed.js';
import { markChannelStockDirty } from '../domain/sales-channels/mark-channel-stock-dirty.js';
import { pushChannelStock } from '../domain/sales-channels/push-channel-stock.js';
import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import { DEFAULT_STOCK_SYNC_SETTINGS, type StockSyncSettings } from '../domain/sales-channels/stock-sync-settings.js';
import { sweepChannelStock } from '../domain/sales-channels/sweep-channel-stock.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { OutboxHandler } from '../jobs/outbox-subscriber.js';
import { QUEUES } from '../jobs/queue-names.js';
import type { AppExtension } from '../server/start-app.js';

const SWEEP_EVERY_MS = 30_000;
// Tries per push job, the queue's backoff between them; past them the sweep starts a new job.
const PUSH_ATTEMPTS = 5;

interface StockPushJob {
  channel: string;
}

export interface StockSyncDeps {
  db: Db;
  queue: JobQueue;
  channels: readonly StorefrontChannel[];
  onOutbox: (topic: string, handler: OutboxHandler, name: string) => void;
  settings?: Partial<StockSyncSettings>;
  log?: (line: string) => void;
  /** Milliseconds between sweeps; 0 runs none (tests call `sweep` themselves). */
  sweepEveryMs?: number;
  now?: () => Date;
}

/**
 * Keeps every channel's stock equal to ours: each stock event marks the (variant, channel) rows
 * dirty and starts a push job for a channel that had none owed; the job pushes the latest values.
 * Returns the sweep (failed pushes past the threshold, dirty rows no job holds) and a stop.
 */
export function registerStockSync(deps: StockSyncDeps): { sweep: () => Promise<void>; stop: () => Promise<void> } {
  const { db, queue } = deps;
  const settings = { ...DEFAULT_STOCK_SYNC_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  const byName = new Map(deps.channels.map((c) => [c.channel, c]));
  const names = [...byName.keys()];

  const enqueuePush = (channel: string) =>
    queue.enqueue<StockPushJob>(QUEUES.stockPush, { channel }, { jobId: `stock-push-${channel}-${randomUUID()}`, attempts: PUSH_ATTEMPTS });

  queue.register<StockPushJob>(QUEUES.stockPush, async ({ channel }) => {
    const storefront = byName.get(channel);
    if (!storefront) return;
    const outcome = await pushChannelStock(db, storefront, { settings, now });
    if (outcome.more) await enqueuePush(channel);
  });

  const onStockChanged = async (variantIds: string[]) => {
    for (const channel of await markChannelStockDirty(db, variantIds, names, now())) await enqueuePush(channel);
  };
  deps.onOutbox('inventory.movement', (event) => onStockChanged([String(event.payload.variantId)]), 'stock-sync.movement');
  deps.onOutbox(AVAILABLE_CHANGED_TOPIC, (event) => onStockChanged((event.payload.variantIds as unknown[]).map(String)), 'stock-sync.available-changed');

  const sweep = async () => {
    const { channelsToPush } = await sweepChannelStock(db, names, settings, now());
    for (const channel of channelsToPush) await enqueuePush(channel);
  };
  const every = deps.sweepEveryMs ?? SWEEP_EVERY_MS;
  const timer = every > 0 && names.length > 0
    ? setInterval(() => sweep().catch((err: unknown) => deps.log?.(`stock sync sweep: ${(err as Error).message}`)), every)
    : null;
  timer?.unref();
  return { sweep, stop: async () => { if (timer) clearInterval(timer); } };
}

/** Stock push to the storefronts of the composition root, as a part of `npm start`. */
export const stockSyncExtension: AppExtension = async (ctx) => {
  const { channels } = ctx.storefronts;
  const { stop } = registerStockSync({
    db: ctx.db,
    queue: ctx.queue,
    channels,
    onOutbox: ctx.onOutbox,
    settings: { mismatchMinutes: ctx.config.STOCK_SYNC_MISMATCH_MINUTES },
    log: ctx.log,
  });
  ctx.log(`stock push: ${channels.length ? `to ${channels.map((c) => c.channel).join(', ')}` : 'no storefronts configured'}; mismatch flag after ${ctx.config.STOCK_SYNC_MISMATCH_MINUTES} min`);
  return stop;
};
