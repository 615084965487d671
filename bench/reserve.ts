/**
 * Reservation throughput: `reserve()` (lock the level rows, check available, insert the
 * reservation, audit) at 1, 8 and 32 concurrent clients on the real PostgreSQL, each next to
 * pgbench's built-in TPC-B-like transaction with the same number of clients for the same time.
 *
 *   npm run bench:reserve -- [--clients 1,8,32] [--seconds 10] [--skus 60] [--no-pgbench]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * Creates scratch databases orderops_bench_reserve and orderops_pgbench_reserve (dropped
 * afterwards), migrates, receives N SKUs × 4 locations with deep stock through the movements
 * ledger, makes one order per client, then every client reserves 1 unit of a SKU at a location
 * (a fixed pseudo-random walk) until the time is up. The last line printed is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { reserve } from '../src/domain/inventory/reserve.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1,8,32' },
    seconds: { type: 'string', default: '10' },
    skus: { type: 'string', default: '60' },
    'no-pgbench': { type: 'boolean', default: false },
  },
});
const positiveInt = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:reserve: ${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const CLIENTS = args.clients.split(',').map((c) => positiveInt('--clients', c.trim()));
const SECONDS = positiveInt('--seconds', args.seconds);
const SKUS = positiveInt('--skus', args.skus);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'orderops_bench_reserve';
const PGBENCH_DB = 'orderops_pgbench_reserve';
const LOCATIONS = ['loc-east-wh', 'loc-east-store', 'loc-west-wh', 'loc-west-3pl'];
const actor = systemActor('bench');

const admin = <T extends pg.QueryResultRow>(sql: string) => adminQuery<T>(ADMIN_URL, sql);

async function seed(db: ReturnType<typeof createPostgresDb>, maxClients: number): Promise<void> {
  for (const id of LOCATIONS) {
    await db.query(`INSERT INTO locations (id, name, kind, region, country) VALUES ($1, $1, 'warehouse', 'us', 'USA')`, [id]);
  }
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ('bp', 'Bench product', 'bench')`);
  for (let v = 0; v < SKUS; v++) {
    await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, 'bp', $2, '{}', 10)`, [`bv-${v}`, `BENCH-${v}`]);
    for (const locationId of LOCATIONS) {
      await recordMovement(db, { variantId: `bv-${v}`, locationId, quantity: 10_000_000, kind: 'receipt', reason: 'bench stock', actor });
    }
  }
  await db.query(`INSERT INTO customers (id, first_name, last_name, email) VALUES ('c-bench', 'Bench', 'Buyer', 'bench@example.com')`);
  await db.query(
    `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
     SELECT 'bench-' || i, 'c-bench', 'bench-' || i, 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207' FROM generate_series(0, $1) AS i`,
    [maxClients],
  );
}

async function reserveFor(db: ReturnType<typeof createPostgresDb>, clients: number, seconds: number) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const latencies: number[] = [];
  const client = async (c: number) => {
    let state = 2_654_435_761 * (c + 1);
    for (let i = 0; performance.now() < deadline; i++) {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      const started = performance.now();
      try {
        await reserve(db, {
          variantId: `bv-${state % SKUS}`,
          locationId: LOCATIONS[(state >>> 8) % LOCATIONS.length]!,
          quantity: 1,
          orderId: `bench-${c}`,
          actor,
        });
        done++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
  return { reservations: done, failed, seconds: elapsed, perSecond: done / elapsed, p50: pct(50), p99: pct(99) };
}

function pgbench(clients: number, seconds: number): number | string {
  const url = withDatabase(ADMIN_URL, PGBENCH_DB);
  const run = spawnSync('pgbench', ['-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), url], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return `pgbench failed: ${run.error?.message ?? run.stderr}`;
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout);
  return m ? Number(m[1]) : `no tps in pgbench output:\n${run.stdout}`;
}

const version = (await admin<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0]!.v;
console.log(`bench:reserve: PostgreSQL ${version}, Node ${process.version}, ${os.cpus().length} cores; ${SKUS} SKUs x ${LOCATIONS.length} locations, ${SECONDS} s per step, clients ${CLIENTS.join(', ')}`);
await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${BENCH_DB}`);
const maxClients = Math.max(...CLIENTS);
const db = createPostgresDb(withDatabase(ADMIN_URL, BENCH_DB), { max: maxClients + 2 });
const steps: Record<string, unknown>[] = [];
try {
  await migrate(db);
  await seed(db, maxClients);
  if (!args['no-pgbench']) {
    await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${PGBENCH_DB}`);
    const init = spawnSync('pgbench', ['-i', '-q', withDatabase(ADMIN_URL, PGBENCH_DB)], { encoding: 'utf8' });
    if (init.error || init.status !== 0) throw new Error(`pgbench -i failed: ${init.error?.message ?? init.stderr}`);
  }
  await reserveFor(db, 1, 1);
  for (const clients of CLIENTS) {
    const r = await reserveFor(db, clients, SECONDS);
    const tps = args['no-pgbench'] ? null : pgbench(clients, SECONDS);
    const ratio = typeof tps === 'number' ? r.perSecond / tps : null;
    console.log(
      `${String(clients).padStart(2)} clients: ${r.reservations} reservations in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s ` +
        `(p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.failed} failed)` +
        (tps === null ? '' : typeof tps === 'number' ? `; pgbench tpcb-like ${tps.toFixed(1)} tps; ratio ${ratio!.toFixed(3)}` : `; ${tps}`),
    );
    steps.push({
      clients,
      reservations: r.reservations,
      failed: r.failed,
      per_s: Number(r.perSecond.toFixed(1)),
      p50_ms: Number(r.p50.toFixed(1)),
      p99_ms: Number(r.p99.toFixed(1)),
      pgbench_tps: typeof tps === 'number' ? Number(tps.toFixed(1)) : null,
      ratio: ratio === null ? null : Number(ratio.toFixed(3)),
    });
  }
} finally {
  await db.close();
  await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  if (!args['no-pgbench']) await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
}
console.log(JSON.stringify({ bench: 'reserve', postgres: version, node: process.version, cores: os.cpus().length, skus: SKUS, seconds: SECONDS, steps }));
