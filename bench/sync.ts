/**
 * Stock push latency: sales (reservations) at a steady rate on the real PostgreSQL, with the
 * outbox dispatcher and BullMQ on the real Redis carrying each change to the stock push, which sends
 * it through the Shopify adapter to the local Shopify Admin GraphQL server (or, with
 * `--storefront recording`, to a plain recording storefront); each value's arrival is recorded.
 *
 *   npm run bench:sync -- [--rate 50] [--seconds 20] [--skus 20] [--relay-ms 100] [--storefront shopify|recording]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (default redis://127.0.0.1:6379)
 *
 * Creates the scratch database orderops_bench_sync (dropped afterwards) and uses a BullMQ prefix
 * of its own (deleted afterwards). Each sale reserves 1 unit of a pseudo-random SKU; its latency
 * runs from the moment the reservation's commit returns to the arrival of the first push that
 * shows the SKU at or below the quantity that sale left. Baselines in the same run: one direct
 * push call's round trip, and one reservation's commit. The last line printed is one JSON object.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { registerStockSync } from '../src/config/stock-sync-extension.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { reserve } from '../src/domain/inventory/reserve.js';
import { createBullmqQueue } from '../src/jobs/bullmq-queue.js';
import { createOutboxDispatcher } from '../src/jobs/outbox-dispatcher.js';
import type { OutboxSubscriber } from '../src/jobs/outbox-subscriber.js';
import { BENCH_STOREFRONTS, openBenchStorefront, type BenchStorefront, type BenchStorefrontKind } from './bench-storefront.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    skus: { type: 'string', default: '20' },
    'relay-ms': { type: 'string', default: '100' },
    storefront: { type: 'string', default: 'shopify' },
  },
});
const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench:sync: ${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const RATE = positive('--rate', args.rate);
const SECONDS = positive('--seconds', args.seconds);
const SKUS = Math.round(positive('--skus', args.skus));
const SALES = Math.round(RATE * SECONDS);
// The outbox dispatcher's idle poll interval; 100 ms is what `npm start` runs.
const RELAY_MS = positive('--relay-ms', args['relay-ms']);
if (!(BENCH_STOREFRONTS as readonly string[]).includes(args.storefront)) {
  console.error(`bench:sync: --storefront must be ${BENCH_STOREFRONTS.join(' or ')}, got "${args.storefront}"`);
  process.exit(2);
}
const STOREFRONT = args.storefront as BenchStorefrontKind;
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const BENCH_DB = 'orderops_bench_sync';
const PREFIX = `orderops-bench-sync-${process.pid}`;
const LOCATIONS = ['loc-east-wh', 'loc-west-wh'];
const STOCK_PER_LOCATION = 1_000_000;
const actor = systemActor('bench');
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const admin = <T extends pg.QueryResultRow>(sql: string) => adminQuery<T>(ADMIN_URL, sql);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round1 = (n: number) => Number(n.toFixed(1));

async function seed(db: ReturnType<typeof createPostgresDb>, store: BenchStorefront): Promise<void> {
  for (const id of LOCATIONS) {
    await db.query(`INSERT INTO locations (id, name, kind, region, country) VALUES ($1, $1, 'warehouse', 'us', 'USA')`, [id]);
  }
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ('bp', 'Bench product', 'bench')`);
  for (let v = 0; v < SKUS; v++) {
    await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, 'bp', $2, '{}', 10)`, [`bv-${v}`, `BENCH-${v}`]);
    await db.query(
      `INSERT INTO channel_variants (channel, external_variant_id, variant_id, external_inventory_item_id) VALUES ($1, $2, $3, $4)`,
      [store.channel.channel, store.ids(v).externalVariantId, `bv-${v}`, store.ids(v).externalInventoryItemId],
    );
    for (const locationId of LOCATIONS) {
      await recordMovement(db, { variantId: `bv-${v}`, locationId, quantity: STOCK_PER_LOCATION, kind: 'receipt', reason: 'bench stock', actor });
    }
  }
  await db.query(`INSERT INTO customers (id, first_name, last_name, email) VALUES ('c-bench', 'Bench', 'Buyer', 'bench@example.com')`);
  await db.query(
    `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
     SELECT 'bench-' || i, 'c-bench', 'bench-' || i, 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207' FROM generate_series(0, $1) AS i`,
    [SALES],
  );
}

async function directPushBaseline(store: BenchStorefront, n: number): Promise<number[]> {
  const spare = store.ids(SKUS + 1);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await store.channel.pushStock([
      { variantId: 'baseline', ...spare, externalProductId: null, quantity: i, expected: null, idempotencyKey: `baseline-${i}` },
    ]);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function deletePrefix(): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const version = (await admin<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0]!.v;
const redisVersion = await (async () => {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    return /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? 'unknown';
  } finally {
    r.disconnect();
  }
})();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `bench:sync: PostgreSQL ${version}, Redis ${redisVersion} (BullMQ), Node ${process.version}, ${os.cpus().length} cores (${cpu}); ` +
    `${SALES} sales at ${RATE}/s over ${SKUS} SKUs x ${LOCATIONS.length} locations`,
);
await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${BENCH_DB}`);
const db = createPostgresDb(withDatabase(ADMIN_URL, BENCH_DB));
const storefront = await openBenchStorefront(STOREFRONT);
const channel = storefront.channel;
console.log(`storefront: ${storefront.describe}`);
const queue = createBullmqQueue(REDIS_URL, { prefix: PREFIX });
let summary: Record<string, unknown> = {};
try {
  await migrate(db);
  await seed(db, storefront);

  const subscribers: OutboxSubscriber[] = [];
  const sync = registerStockSync({
    db,
    queue,
    channels: [channel],
    onOutbox: (topic, handle, name) => void subscribers.push({ topic, name, handle }),
    sweepEveryMs: 0,
  });
  await queue.start();
  // The seed's receipts: every SKU gets its first push before the clock starts.
  const outbox = createOutboxDispatcher(db, { subscribers, pollMs: RELAY_MS });
  await outbox.start();
  const initial = new Map(Array.from({ length: SKUS }, (_, v) => [`ext-${v}`, STOCK_PER_LOCATION * LOCATIONS.length]));
  const shown = () => {
    const latest = new Map<string, number>();
    for (const a of storefront.arrivals()) latest.set(a.externalVariantId, Math.min(latest.get(a.externalVariantId) ?? Infinity, a.quantity));
    return latest;
  };
  for (let waited = 0; [...initial].some(([id, q]) => shown().get(id) !== q); waited += 50) {
    if (waited > 60_000) throw new Error('the first pushes did not arrive within 60 s');
    await sleep(50);
  }
  const warmArrivals = storefront.arrivals().length;
  const warmCalls = storefront.requests();

  // Sales on one connection, one after another at the set pace, so each sale's remaining
  // quantity is known exactly; a sale that falls behind the pace starts at once.
  const sales: { ext: string; leftAfter: number; committedAt: number; commitMs: number }[] = [];
  const left = new Map(initial);
  let state = 2_654_435_761;
  const start = performance.now();
  for (let i = 0; i < SALES; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const v = state % SKUS;
    const began = performance.now();
    await reserve(db, { variantId: `bv-${v}`, locationId: LOCATIONS[(state >>> 8) % LOCATIONS.length]!, quantity: 1, orderId: `bench-${i}`, actor });
    const committedAt = nowMs();
    const ext = `ext-${v}`;
    left.set(ext, left.get(ext)! - 1);
    sales.push({ ext, leftAfter: left.get(ext)!, committedAt, commitMs: performance.now() - began });
  }
  const salesSeconds = (performance.now() - start) / 1000;
  for (let waited = 0; [...left].some(([id, q]) => shown().get(id) !== q); waited += 50) {
    if (waited > 60_000) throw new Error('the last pushes did not arrive within 60 s');
    await sleep(50);
  }
  for (let waited = 0; (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL AND dead_at IS NULL')).rows[0]!.n > 0; waited += 50) {
    if (waited > 60_000) throw new Error('the outbox was not dispatched within 60 s');
    await sleep(50);
  }
  await outbox.stop();
  await sync.stop();

  const arrivals = storefront.arrivals().slice(warmArrivals);
  const byExt = new Map<string, { at: number; quantity: number }[]>();
  for (const a of arrivals) (byExt.get(a.externalVariantId) ?? byExt.set(a.externalVariantId, []).get(a.externalVariantId)!).push(a);
  const latencies = sales
    .map((s) => {
      const hit = byExt.get(s.ext)?.find((a) => a.quantity <= s.leftAfter);
      return hit ? hit.at - s.committedAt : NaN;
    })
    .sort((a, b) => a - b);
  const commits = sales.map((s) => s.commitMs).sort((a, b) => a - b);
  // Where the time goes: each sale wrote one outbox row, in sale order, stamped when its handlers ran.
  const { rows: handled } = await db.query<{ done_at: Date }>(
    `SELECT done_at FROM outbox WHERE topic = 'inventory.available_changed' ORDER BY id`,
  );
  const toHandled = sales
    .flatMap((s, i) => (handled[i]?.done_at ? [handled[i]!.done_at.getTime() - s.committedAt] : []))
    .sort((a, b) => a - b);
  const calls = storefront.requests() - warmCalls;
  // After the run, so its calls neither spend the run's throttle budget nor count as pushes.
  const baseline = await directPushBaseline(storefront, 50);
  const r = {
    sales: SALES,
    rate_per_s: round1(SALES / salesSeconds),
    p50_ms: round1(pct(latencies, 50)),
    p99_ms: round1(pct(latencies, 99)),
    max_ms: round1(latencies.at(-1)!),
    pushes: arrivals.length,
    pushes_per_sale: Number((arrivals.length / SALES).toFixed(3)),
    requests: calls,
    requests_per_sale: Number((calls / SALES).toFixed(3)),
    commit_to_handled_p50_ms: round1(pct(toHandled, 50)),
    commit_to_handled_p99_ms: round1(pct(toHandled, 99)),
    baseline_direct_push_p50_ms: round1(pct(baseline, 50)),
    baseline_direct_push_p99_ms: round1(pct(baseline, 99)),
    baseline_reserve_commit_p50_ms: round1(pct(commits, 50)),
    baseline_reserve_commit_p99_ms: round1(pct(commits, 99)),
  };
  console.log(
    `sale commit -> push arrived: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms over ${r.sales} sales at ${r.rate_per_s}/s; ` +
      `${r.pushes} variant pushes in ${r.requests} requests = ${r.pushes_per_sale} pushes per sale`,
  );
  console.log(`of which commit -> outbox event handled (push marked and queued): p50 ${r.commit_to_handled_p50_ms} ms, p99 ${r.commit_to_handled_p99_ms} ms`);
  console.log(
    `baselines: one direct push call p50 ${r.baseline_direct_push_p50_ms} ms (p99 ${r.baseline_direct_push_p99_ms} ms); ` +
      `one reservation commit p50 ${r.baseline_reserve_commit_p50_ms} ms (p99 ${r.baseline_reserve_commit_p99_ms} ms); outbox dispatcher polls every ${RELAY_MS} ms`,
  );
  summary = r;
} finally {
  await queue.close();
  await storefront.close();
  await db.close();
  await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await deletePrefix();
}
console.log(JSON.stringify({ bench: 'sync', postgres: version, redis: redisVersion, node: process.version, cores: os.cpus().length, skus: SKUS, relay_ms: RELAY_MS, storefront: STOREFRONT, ...summary }));
