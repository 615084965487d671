/**
 * Shopify webhook intake: signed orders/create deliveries at POST /webhooks/shopify on the real
 * PostgreSQL with the in-process job runner, each sent twice as Shopify's redeliveries are.
 * Measures the door's answer time (verify, check, store, enqueue) and the time until every order
 * is in the ledger, and checks that each order is there exactly once.
 *
 *   npm run bench:shopify -- [--orders 500] [--concurrency 8]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * Creates the scratch database orderops_bench_shopify (dropped afterwards). The last line printed
 * is one JSON object with every figure.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { shopifyExtension } from '../src/connectors/storefronts/shopify/shopify-extension.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { startApp } from '../src/server/start-app.js';

const { values: args } = parseArgs({ options: { orders: { type: 'string' }, concurrency: { type: 'string' } } });
const ORDERS = Number(args.orders ?? 500);
const CONCURRENCY = Number(args.concurrency ?? 8);
if (!Number.isInteger(ORDERS) || ORDERS < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
  console.error('bench:shopify: --orders and --concurrency must be positive integers');
  process.exit(2);
}
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'orderops_bench_shopify';
const SECRET = 'bench-shopify-webhook-secret';
const template = JSON.parse(readFileSync(new URL('../test/fixtures/shopify/orders-create.json', import.meta.url), 'utf8'));

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB_NAME}`);
const db = createPostgresDb(withDatabase(ADMIN_URL, DB_NAME));
let stop: (() => Promise<void>) | undefined;
try {
  await migrate(db);
  await db.query(`INSERT INTO locations (id, name, kind, region, country, city, state, zip) VALUES ('loc-east-wh', 'East warehouse', 'warehouse', 'us-east', 'USA', 'Newark', 'NJ', '07114')`);
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ('bp-sock', 'Sock', 'bench')`);
  for (const sku of ['SOCK-MERINO-M', 'GIFT-20']) {
    await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, 'bp-sock', $2, '{}', '20.00')`, [`bv-${sku}`, sku]);
    await recordMovement(db, { variantId: `bv-${sku}`, locationId: 'loc-east-wh', quantity: 10_000_000, kind: 'receipt', reason: 'bench stock', actor: systemActor('bench') });
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    PORT: '0',
    SMTP_PORT: '0',
    SEED_DEMO: 'false',
    AUTO_FULFIL: 'false',
    ROUTING_QUOTES: 'estimate',
    SHOPIFY_WEBHOOK_SECRET: SECRET,
    DATA_DIR: `/tmp/orderops-bench-shopify-${process.pid}`,
  } as NodeJS.ProcessEnv);
  const app = await startApp(config, { db, extensions: [shopifyExtension({ channel: null })], log: () => {} });
  stop = app.stop;

  const bodies = Array.from({ length: ORDERS }, (_, i) => {
    const o = structuredClone(template);
    o.id = 7_000_000_000 + i;
    o.email = o.customer.email = `bench${i % 400}@example.com`;
    return JSON.stringify(o);
  });
  // Each order twice (the second a redelivery under the same webhook id), shuffled deterministically.
  const sends = bodies.flatMap((b, i) => [{ b, id: `bench-wh-${i}` }, { b, id: `bench-wh-${i}` }]);
  for (let i = sends.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < sends.length) {
        const s = sends[next++]!;
        const t0 = performance.now();
        const res = await fetch(`${app.url}/webhooks/shopify`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'orders/create',
            'x-shopify-webhook-id': s.id,
            'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(s.b).digest('base64'),
          },
          body: s.b,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const answered = performance.now();
  await app.queue.drain();
  const done = performance.now();
  const { rows } = await db.query<{ n: number; distinct_ids: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS distinct_ids FROM orders WHERE channel = 'shopify'`,
  );
  const failed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE processed_at IS NULL`);
  latencies.sort((a, b) => a - b);
  const result = {
    bench: 'shopify-webhooks',
    database: 'postgres',
    queue: app.queue.kind,
    orders: ORDERS,
    deliveries: sends.length,
    concurrency: CONCURRENCY,
    statuses: Object.fromEntries(statuses),
    door_p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    door_p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    deliveries_per_s: Number((sends.length / ((answered - started) / 1000)).toFixed(1)),
    all_in_ledger_s: Number(((done - started) / 1000).toFixed(2)),
    orders_per_s: Number((ORDERS / ((done - started) / 1000)).toFixed(1)),
    orders_in_ledger: rows[0]!.n,
    distinct_orders: rows[0]!.distinct_ids,
    unprocessed_deliveries: failed.rows[0]!.n,
  };
  console.log(`door answer p50 ${result.door_p50_ms} ms, p99 ${result.door_p99_ms} ms; ${result.orders_in_ledger} orders in the ledger from ${sends.length} deliveries in ${result.all_in_ledger_s} s`);
  console.log(JSON.stringify(result));
} finally {
  await stop?.().catch(() => undefined);
  await db.close().catch(() => undefined);
  await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
}
