/**
 * A product drop: one SKU with a fixed stock and many more buyers than units, all at once through
 * POST /api/orders on PostgreSQL; then the same number of orders over many SKUs for the baseline.
 *
 *   npm run bench:drop -- [--units 500] [--buyers 2000] [--concurrency 64]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * Checks what a drop must never do: accept more orders than units, answer anything but 201 or a
 * clean 409, or leave stock negative or reserved twice. Exits 1 when any check fails. The last
 * line printed is one JSON object with every figure.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import type { Db } from '../src/db/db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { buildServer } from '../src/server/build-server.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: { units: { type: 'string', default: '500' }, buyers: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '64' } },
});
const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:drop: --${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const UNITS = positive('units', args.units!);
const BUYERS = positive('buyers', args.buyers!);
const CONCURRENCY = positive('concurrency', args.concurrency!);
const SPREAD_SKUS = 60;
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'orderops_drop';
const HOT = 'DROP-HOT-1';

async function seed(db: Db): Promise<void> {
  await db.query(`INSERT INTO locations (id, name, kind, region, country) VALUES ('loc-drop', 'Drop warehouse', 'warehouse', 'us-east', 'USA')`);
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ('dp-hot', 'The drop', 'bench'), ('dp-spread', 'Everyday', 'bench')`);
  const stock = async (variantId: string, quantity: number) =>
    recordMovement(db, { variantId, locationId: 'loc-drop', quantity, kind: 'receipt', reason: 'bench stock', actor: systemActor('bench') });
  await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ('dv-hot', 'dp-hot', $1, '{}', '120.00')`, [HOT]);
  await stock('dv-hot', UNITS);
  for (let i = 0; i < SPREAD_SKUS; i++) {
    await db.query(`INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, 'dp-spread', $2, '{}', '20.00')`, [`dv-s${i}`, `DROP-SPREAD-${i}`]);
    await stock(`dv-s${i}`, 100_000);
  }
}

const body = (run: string, i: number, sku: string) => ({
  channel: 'bench',
  external_id: `${run}-${i}`,
  customer: { email: `fan${i}@drop.example.com`, first_name: 'Fan', last_name: `No${i}` },
  shipping_address: { address1: `${i} Main St`, city: 'New York', state: 'NY', country: 'USA', zip: '10001' },
  lines: [{ sku, quantity: 1 }],
  payment: { method: 'card' },
  client: { browser_ip: `203.0.113.${i % 250}`, device_id: `drop-dev-${i}` },
});

/** Every buyer posts once; `concurrency` requests are in flight at any moment. */
async function rush(url: string, run: string, skuOf: (i: number) => string) {
  const statuses = new Map<number, number>();
  const odd: string[] = [];
  let next = 0;
  let lastAcceptedAt = 0;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= BUYERS) return;
      const res = await fetch(`${url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(run, i, skuOf(i))) });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 201) lastAcceptedAt = performance.now();
      if (res.status === 409 && !text.includes('insufficient')) odd.push(`409 ${text.slice(0, 160)}`);
      else if (res.status !== 201 && res.status !== 409) odd.push(`${res.status} ${text.slice(0, 160)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  // Accepted orders per second while there was stock to sell: up to the last 201.
  const sellingSeconds = (lastAcceptedAt - started) / 1000;
  return { seconds, sellingSeconds, accepted: statuses.get(201) ?? 0, refused: statuses.get(409) ?? 0, statuses: Object.fromEntries(statuses), odd };
}

console.log(`bench:drop: ${UNITS} units, ${BUYERS} buyers, ${CONCURRENCY} at once; Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);
await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
await adminQuery(ADMIN_URL, `CREATE DATABASE ${BENCH_DB}`);
const db = createPostgresDb(withDatabase(ADMIN_URL, BENCH_DB), { max: Math.min(CONCURRENCY, 32) + 2 });
let failed = false;
try {
  await migrate(db);
  await seed(db);
  const app = buildServer({ db, config: loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const hot = await rush(url, 'hot', () => HOT);
  const spread = await rush(url, 'spread', (i) => `DROP-SPREAD-${i % SPREAD_SKUS}`);
  await app.close();

  const { rows } = await db.query<{ on_hand: number; reserved: number; orders: number; reservations: number; negative: number }>(
    `SELECT (SELECT COALESCE(sum(quantity), 0)::int FROM inventory_movements WHERE variant_id = 'dv-hot') AS on_hand,
            (SELECT COALESCE(sum(quantity), 0)::int FROM reservations WHERE variant_id = 'dv-hot' AND status = 'active') AS reserved,
            (SELECT count(DISTINCT o.id)::int FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.variant_id = 'dv-hot') AS orders,
            (SELECT count(*)::int FROM reservations WHERE variant_id = 'dv-hot' AND status = 'active') AS reservations,
            (SELECT count(*)::int FROM (SELECT variant_id, location_id, sum(quantity) AS q FROM inventory_movements GROUP BY 1, 2) m WHERE m.q < 0) AS negative`,
  );
  const ledger = rows[0]!;
  const hotRate = hot.accepted / hot.sellingSeconds;
  const spreadRate = spread.accepted / spread.sellingSeconds;
  const checks = {
    exactly_units_accepted: hot.accepted === Math.min(UNITS, BUYERS),
    the_rest_clean_409: hot.refused === BUYERS - hot.accepted && hot.odd.length === 0,
    ledger_orders_match: ledger.orders === hot.accepted,
    no_oversell: ledger.reserved <= ledger.on_hand && ledger.reserved === hot.accepted,
    one_reservation_per_order: ledger.reservations === hot.accepted,
    no_negative_stock: ledger.negative === 0,
    spread_all_accepted: spread.accepted === BUYERS && spread.odd.length === 0,
  };
  failed = Object.values(checks).some((ok) => !ok);
  console.log(`hot SKU: ${hot.accepted} accepted, ${hot.refused} refused (409) in ${hot.seconds.toFixed(1)} s; sold out after ${hot.sellingSeconds.toFixed(1)} s: ${hotRate.toFixed(1)} accepted orders/s; ${(BUYERS / hot.seconds).toFixed(1)} answers/s overall`);
  console.log(`spread SKUs: ${spread.accepted} accepted in ${spread.seconds.toFixed(1)} s: ${spreadRate.toFixed(1)} orders/s`);
  console.log(`hot / spread orders/s: ${(hotRate / spreadRate).toFixed(2)}; ledger: ${ledger.orders} orders on the hot SKU, ${ledger.reserved} of ${ledger.on_hand} units reserved`);
  for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
  for (const o of [...hot.odd, ...spread.odd].slice(0, 5)) console.log(`  unexpected answer: ${o}`);
  console.log(
    JSON.stringify({
      bench: 'drop',
      units: UNITS,
      buyers: BUYERS,
      concurrency: CONCURRENCY,
      hot: { accepted: hot.accepted, refused: hot.refused, statuses: hot.statuses, seconds: Number(hot.seconds.toFixed(2)), sold_out_after_s: Number(hot.sellingSeconds.toFixed(2)), accepted_per_s: Number(hotRate.toFixed(1)), answers_per_s: Number((BUYERS / hot.seconds).toFixed(1)) },
      spread: { accepted: spread.accepted, seconds: Number(spread.seconds.toFixed(2)), orders_per_s: Number(spreadRate.toFixed(1)) },
      hot_over_spread: Number((hotRate / spreadRate).toFixed(2)),
      ledger,
      checks,
      machine: `${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
    }),
  );
} finally {
  await db.close();
  await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
}
process.exit(failed ? 1 : 0);
