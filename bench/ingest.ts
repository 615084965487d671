/**
 * Order ingest throughput: POST /api/orders against the real PostgreSQL, next to pgbench's
 * built-in TPC-B-like transaction on the same server for scale.
 *
 *   npm run bench:ingest -- [--orders 2000] [--concurrency 8] [--pgbench-seconds 15] [--no-pgbench] [--cpu-load 0] [--no-prepared-statements]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_ORDERS, BENCH_CONCURRENCY
 *
 * Creates scratch databases orderops_bench and orderops_pgbench (dropped afterwards), migrates,
 * receives a 60-SKU catalog with deep stock through the movements ledger, starts the HTTP server
 * in-process on 127.0.0.1:0 and posts orders from C concurrent keep-alive clients. The last line
 * printed is one JSON object with every figure. `--cpu-load N` keeps N spinning processes running
 * through the ingest and pgbench alike; `--no-prepared-statements` runs every statement unnamed.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { buildServer } from '../src/server/build-server.js';
import { startCpuLoad } from './cpu-load.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string' },
    concurrency: { type: 'string' },
    'pgbench-seconds': { type: 'string', default: '15' },
    'no-pgbench': { type: 'boolean', default: false },
    'cpu-load': { type: 'string', default: '0' },
    'no-prepared-statements': { type: 'boolean', default: false },
  },
});
const positiveInt = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:ingest: ${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const ORDERS = positiveInt('--orders / BENCH_ORDERS', args.orders ?? process.env.BENCH_ORDERS, 2000);
const CONCURRENCY = positiveInt('--concurrency / BENCH_CONCURRENCY', args.concurrency ?? process.env.BENCH_CONCURRENCY, 8);
const PGBENCH_SECONDS = positiveInt('--pgbench-seconds', args['pgbench-seconds'], 15);
const CPU_LOAD = args['cpu-load'] === '0' ? 0 : positiveInt('--cpu-load', args['cpu-load'], 0);
const PREPARED = !args['no-prepared-statements'];
const WARMUP = Math.min(50, ORDERS);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'orderops_bench';
const PGBENCH_DB = 'orderops_pgbench';

const admin = async (sql: string): Promise<void> => void (await adminQuery(ADMIN_URL, sql));

async function serverVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0]!.v;
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const STATES = [
  ['New York', 'NY', '10001'],
  ['Boston', 'MA', '02110'],
  ['Atlanta', 'GA', '30303'],
  ['Seattle', 'WA', '98101'],
  ['Denver', 'CO', '80202'],
  ['Los Angeles', 'CA', '90012'],
] as const;

function orderBody(i: number, skus: string[]) {
  const [city, state, zip] = STATES[i % STATES.length]!;
  const lineCount = 1 + (i % 3);
  const lines = Array.from({ length: lineCount }, (_, k) => ({ sku: skus[(i * 7 + k * 13) % skus.length]!, quantity: 1 + ((i + k) % 2) }));
  const buyer = i % 500;
  return {
    channel: 'bench',
    external_id: `bench-${i}`,
    customer: { email: `buyer${buyer}@bench.example.com`, first_name: 'Bench', last_name: `Buyer${buyer}` },
    shipping_address: { address1: `${i} Main St`, city, state, country: 'USA', zip },
    lines,
    payment: { method: i % 4 === 0 ? 'paypal' : 'card' },
    client: { browser_ip: `198.51.100.${i % 250}`, device_id: `bench-dev-${buyer}` },
  };
}

async function seedCatalog(db: ReturnType<typeof createPostgresDb>): Promise<string[]> {
  const locations = [
    ['loc-east-wh', 'East warehouse', 'warehouse', 'us-east'],
    ['loc-east-store', 'East store', 'store', 'us-east'],
    ['loc-west-wh', 'West warehouse', 'warehouse', 'us-west'],
    ['loc-west-3pl', 'West 3PL', '3pl', 'us-west'],
  ] as const;
  for (const [id, name, kind, region] of locations) {
    await db.query(`INSERT INTO locations (id, name, kind, region, country) VALUES ($1, $2, $3, $4, 'USA')`, [id, name, kind, region]);
  }
  const skus: string[] = [];
  for (let p = 0; p < 12; p++) {
    await db.query(`INSERT INTO products (id, name, product_type) VALUES ($1, $2, 'bench')`, [`bp-${p}`, `Bench product ${p}`]);
    for (let v = 0; v < 5; v++) {
      const sku = `BENCH-${p}-${v}`;
      skus.push(sku);
      await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, $2, $3, $4, $5)`, [
        `bv-${p}-${v}`,
        `bp-${p}`,
        sku,
        JSON.stringify({ size: ['S', 'M', 'L', 'XL', 'XXL'][v] }),
        (10 + p * 3 + v).toFixed(2),
      ]);
      for (const [locationId] of locations) {
        await recordMovement(db, {
          variantId: `bv-${p}-${v}`,
          locationId,
          quantity: 100_000,
          kind: 'receipt',
          reason: 'bench stock',
          actor: systemActor('bench'),
        });
      }
    }
  }
  return skus;
}

async function postOrders(url: string, skus: string[], from: number, count: number, concurrency: number) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = from;
  const end = from + count;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= end) return;
      const started = performance.now();
      const res = await fetch(`${url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(orderBody(i, skus)),
      });
      const text = await res.text();
      latencies.push(performance.now() - started);
      if (res.status !== 201) failures.push(`${res.status} ${text.slice(0, 200)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

function runPgbench(): { tps: number; output: string } | { error: string } {
  const url = withDatabase(ADMIN_URL, PGBENCH_DB);
  const init = spawnSync('pgbench', ['-i', '-q', url], { encoding: 'utf8' });
  if (init.error || init.status !== 0) return { error: `pgbench -i failed: ${init.error?.message ?? init.stderr}` };
  const run = spawnSync('pgbench', ['-c', String(CONCURRENCY), '-j', '2', '-T', String(PGBENCH_SECONDS), url], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return { error: `pgbench failed: ${run.error?.message ?? run.stderr}` };
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout);
  if (!m) return { error: `no tps in pgbench output:\n${run.stdout}` };
  return { tps: Number(m[1]), output: run.stdout };
}

const version = await serverVersion();
console.log(
  `bench:ingest: PostgreSQL ${version}, Node ${process.version}, ${os.cpus().length} cores; ${ORDERS} orders, ${CONCURRENCY} clients; ` +
    `prepared statements ${PREPARED ? 'on' : 'off'}; ${CPU_LOAD} spinning processes`,
);
await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${BENCH_DB}`);
const db = createPostgresDb(withDatabase(ADMIN_URL, BENCH_DB), { max: CONCURRENCY + 2, preparedStatements: PREPARED });
let result: Record<string, unknown>;
const load = startCpuLoad(CPU_LOAD);
try {
  await migrate(db);
  const skus = await seedCatalog(db);
  const app = buildServer({ db, config: loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  await postOrders(url, skus, 0, WARMUP, CONCURRENCY);
  const run = await postOrders(url, skus, WARMUP, ORDERS, CONCURRENCY);
  await app.close();

  const sorted = [...run.latencies].sort((a, b) => a - b);
  const ordersPerSecond = ORDERS / run.seconds;
  const { rows } = await db.query<{ orders: number; lines: number; reservations: number }>(
    `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_lines) AS lines,
            (SELECT count(*)::int FROM reservations WHERE status = 'active') AS reservations`,
  );
  console.log(`ingest: ${ORDERS} orders in ${run.seconds.toFixed(1)} s = ${ordersPerSecond.toFixed(1)} orders/s`);
  console.log(`latency ms: p50 ${percentile(sorted, 50).toFixed(1)}, p95 ${percentile(sorted, 95).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${sorted[sorted.length - 1]!.toFixed(1)}`);
  console.log(`ledger after the run: ${rows[0]!.orders} orders, ${rows[0]!.lines} lines, ${rows[0]!.reservations} active reservations; ${run.failures.length} failed requests`);
  for (const f of run.failures.slice(0, 5)) console.log(`  failed: ${f}`);

  let pgbench: { tps: number } | { error: string } | null = null;
  if (!args['no-pgbench']) {
    await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${PGBENCH_DB}`);
    pgbench = runPgbench();
    await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
    if ('tps' in pgbench) {
      console.log(`pgbench (tpcb-like, -c ${CONCURRENCY} -j 2 -T ${PGBENCH_SECONDS}): ${pgbench.tps.toFixed(1)} tps`);
      console.log(`ratio orders/s ÷ pgbench tps: ${(ordersPerSecond / pgbench.tps).toFixed(3)}`);
    } else {
      console.log(pgbench.error);
    }
  }
  result = {
    bench: 'ingest',
    postgres: version,
    node: process.version,
    cores: os.cpus().length,
    orders: ORDERS,
    concurrency: CONCURRENCY,
    prepared_statements: PREPARED,
    cpu_load: CPU_LOAD,
    seconds: Number(run.seconds.toFixed(2)),
    orders_per_s: Number(ordersPerSecond.toFixed(1)),
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p95_ms: Number(percentile(sorted, 95).toFixed(1)),
    p99_ms: Number(percentile(sorted, 99).toFixed(1)),
    failed: run.failures.length,
    pgbench_tps: pgbench && 'tps' in pgbench ? Number(pgbench.tps.toFixed(1)) : null,
    ratio: pgbench && 'tps' in pgbench ? Number((ordersPerSecond / pgbench.tps).toFixed(3)) : null,
  };
} finally {
  await load.stop();
  await db.close();
  await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
}
console.log(JSON.stringify(result));
