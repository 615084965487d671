/**
 * Anomaly benchmark: orders scored per second
 *   1. through the full path — `scoreOrder` reads the order and its client details, updates the
 *      feature counters in the database, scores, records the score and any flag or hold, one
 *      transaction per order — on embedded PGlite, and on PostgreSQL when BENCH_POSTGRES_URL is
 *      set (a fresh database created for the run and dropped afterwards);
 *   2. through the pure scoring core: in-memory counters plus the rules, and the rules alone.
 *
 *   npm run bench:anomaly -- [--orders 2000]
 *
 * The core runs over the fraud-ecommerce sample (../shared/datasets/fraud-ecommerce) when it is
 * there, else over generated orders (and says so).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadFraudStream } from '../src/anomaly/eval/fraud-eval.js';
import type { CounterSnapshot, OrderObservation } from '../src/anomaly/feature-counters.js';
import { InMemoryFeatureCounters } from '../src/anomaly/in-memory-feature-counters.js';
import { createLoggingAlertSink } from '../src/anomaly/logging-alert-sink.js';
import { assessRisk } from '../src/anomaly/risk-score.js';
import { DEFAULT_ORDER_RULES } from '../src/anomaly/rules/default-order-rules.js';
import { orderRiskFeatures } from '../src/anomaly/rules/order-risk-features.js';
import { scoreOrder } from '../src/anomaly/score-order.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { insertOrder } from '../test/anomaly/anomaly-fixtures.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const fraudCsv = resolve(repoRoot, '../shared/datasets/fraud-ecommerce/fraud_data_sample.csv');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(2);
  }
  return v;
}

const ORDERS = arg('orders', 2000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function generated(n: number): OrderObservation[] {
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    orderId: `g${i}`,
    accountId: `a${i % Math.floor(n * 0.8)}`,
    channel: ['shopify', 'woo', 'api'][i % 3]!,
    at: new Date(t0 + i * 60_000),
    valueCents: 1000 + ((i * 7919) % 20_000),
    accountCreatedAt: new Date(t0 + i * 60_000 - ((i * 104_729) % 90) * 86_400_000),
    keys: { device: `d${(i * 31) % Math.floor(n * 0.9)}`, ip: `ip${(i * 17) % Math.floor(n * 0.7)}` },
  }));
}

function benchCore(): void {
  const source = existsSync(fraudCsv) ? 'fraud-ecommerce sample' : 'generated orders (fraud-ecommerce sample not found)';
  const orders = existsSync(fraudCsv) ? loadFraudStream(fraudCsv).orders : generated(50_000);
  const counters = new InMemoryFeatureCounters();
  const snapshots: CounterSnapshot[] = [];
  let t = performance.now();
  for (const o of orders) {
    const snap = counters.observeSync(o);
    snapshots.push(snap);
    assessRisk(orderRiskFeatures(o, snap), DEFAULT_ORDER_RULES);
  }
  const withCounters = orders.length / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < orders.length; i++) assessRisk(orderRiskFeatures(orders[i]!, snapshots[i]!), DEFAULT_ORDER_RULES);
  const rulesOnly = orders.length / ((performance.now() - t) / 1000);
  console.log(`core over ${orders.length} ${source}:`);
  console.log(`  in-memory counters + rules: ${Math.round(withCounters).toLocaleString('en-US')} orders/s`);
  console.log(`  rules alone (precomputed counters): ${Math.round(rulesOnly).toLocaleString('en-US')} orders/s`);
}

async function benchFullPath(db: Db, label: string): Promise<void> {
  const now = Date.now();
  const ids: string[] = [];
  // Devices and IPs drawn from pools smaller than the order count, so counters collide as in real traffic.
  for (let i = 0; i < ORDERS; i++) {
    const placedAt = new Date(now - (ORDERS - i) * 30_000);
    const { orderId } = await insertOrder(db, {
      placedAt,
      valueCents: 1500 + ((i * 7919) % 15_000),
      channel: i % 2 ? 'shopify' : 'woo',
      client: {
        device_id: `dev${(i * 31) % Math.floor(ORDERS * 0.9)}`,
        browser_ip: `10.${(i >> 8) & 255}.${i & 255}.${(i * 17) % 7}`,
        account_created_at: new Date(placedAt.getTime() - (i % 50 === 0 ? 5_000 : ((i * 104_729) % 400) * 86_400_000)).toISOString(),
      },
    });
    ids.push(orderId);
  }
  const alerts = createLoggingAlertSink(null);
  const actor = { kind: 'job' as const, id: 'bench' };
  const latencies: number[] = [];
  const decisions = { pass: 0, review: 0, hold: 0 };
  const t0 = performance.now();
  for (const id of ids) {
    const t = performance.now();
    const s = await scoreOrder(db, id, actor, { reviewScore: 50, holdScore: 90, alerts });
    latencies.push(performance.now() - t);
    decisions[s.decision]++;
  }
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`full path on ${label}, ${ORDERS} orders (counters, score, flags and holds in the database):`);
  console.log(
    `  ${Math.round(ORDERS / seconds).toLocaleString('en-US')} orders/s; per order p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms; ` +
      `decisions pass ${decisions.pass}, review ${decisions.review}, hold ${decisions.hold}; alerts ${alerts.raised.length}`,
  );
}

benchCore();

const lite = await createPgliteDb();
await migrate(lite);
await benchFullPath(lite, 'PGlite (embedded)');
await lite.close();

const pgUrl = process.env.BENCH_POSTGRES_URL;
if (pgUrl) {
  const name = `orderops_bench_anomaly_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const db = createPostgresDb(u.toString());
  try {
    await migrate(db);
    await benchFullPath(db, 'PostgreSQL 127.0.0.1');
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log('PostgreSQL full path skipped: set BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run it');
}
