/**
 * Routing benchmark: decision time for 20 rules and 10 locations
 *   1. the pure engine (`decideRouting`): rule matching, candidates with distances and
 *      rate-card quotes, ranking, splits and promised dates;
 *   2. inside a transaction as createOrder runs it (`routeOrderStock`: lock the variants' levels,
 *      read locations and rules, decide) on embedded PGlite, and on PostgreSQL when
 *      BENCH_POSTGRES_URL is set (a fresh database created for the run and dropped afterwards).
 *
 *   npm run bench:routing -- [--decisions 5000]
 */
import pg from 'pg';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { decideRouting, type CandidateStock } from '../src/domain/routing/decide-routing.js';
import { buildRoutingOrder, routeOrderStock } from '../src/domain/routing/route-order-stock.js';
import type { RoutingOrder } from '../src/domain/routing/routing-order.js';
import type { RoutingRule } from '../src/domain/routing/routing-rule.js';
import { DEFAULT_ROUTING_SETTINGS } from '../src/domain/routing/routing-settings.js';
import { testLine, testLocation, testOrder } from '../test/support/routing-fixtures.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DECISIONS = arg('decisions', 5000);

// Ten real US places (ZIP, lat, lon).
const PLACES: [string, string, number, number][] = [
  ['nj', '07105', 40.72, -74.15], ['ny', '11201', 40.69, -73.99], ['ga', '30303', 33.75, -84.39], ['il', '60601', 41.88, -87.62],
  ['tx', '75201', 32.79, -96.8], ['co', '80202', 39.75, -105.0], ['ca', '91761', 34.03, -117.6], ['nv', '89502', 39.5, -119.78],
  ['wa', '98101', 47.61, -122.33], ['fl', '33101', 25.78, -80.19],
];
const LOCATIONS = PLACES.map(([id, zip, latitude, longitude], i) =>
  testLocation(`loc-${id}`, { zip, latitude, longitude, priority: i * 10, hazmat: i % 3 === 0, maxWeightGrams: i % 4 === 0 ? 20_000 : null }),
);
const SKUS = Array.from({ length: 50 }, (_, i) => `SKU-${i}`);
const DESTS = [['NY', '10001'], ['CA', '94103'], ['TX', '73301'], ['FL', '32801'], ['WA', '99201'], ['IL', '62701'], ['MA', '02108'], ['AZ', '85001']] as const;

// Twenty rules of every condition kind, most of which do not match a given order.
const RULES: RoutingRule[] = Array.from({ length: 20 }, (_, i) => ({
  id: `rule-${i}`,
  position: i * 10,
  name: `rule ${i}`,
  enabled: true,
  source: 'api',
  conditions: [
    { region: [DESTS[i % DESTS.length]![0]] },
    { postalPrefix: [`${i % 10}`] },
    { channel: [i % 2 ? 'shopify' : 'api'] },
    { orderValueMin: 50 + i * 10 },
    { serviceLevel: [i % 2 ? 'expedited' : 'overnight'] as ('expedited' | 'overnight')[] },
    { variantTagsAny: [`tag-${i}`] },
    { customerTags: ['vip'] },
    { country: ['CA'] },
  ][i % 8]!,
  outcome: [
    { excludedLocations: [LOCATIONS[i % 10]!.id] },
    { strategy: (['priority', 'nearest', 'lowest_cost', 'fewest_shipments'] as const)[i % 4] },
    { eligibleLocations: LOCATIONS.slice(0, 6 + (i % 4)).map((l) => l.id), maxSplits: 3 },
  ][i % 3]!,
}));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function orders(n: number): RoutingOrder[] {
  const r = rng(42);
  return Array.from({ length: n }, () => {
    const lines = Array.from({ length: 1 + Math.floor(r() * 4) }, () =>
      testLine(SKUS[Math.floor(r() * SKUS.length)]!, 1 + Math.floor(r() * 3), { tags: [`tag-${Math.floor(r() * 20)}`] }),
    ).filter((l, i, all) => all.findIndex((x) => x.sku === l.sku) === i);
    const [state, zip] = DESTS[Math.floor(r() * DESTS.length)]!;
    return testOrder(lines, {
      destination: { country: 'US', state, zip },
      channel: r() < 0.5 ? 'shopify' : 'api',
      serviceLevel: (['standard', 'standard', 'expedited', 'overnight'] as const)[Math.floor(r() * 4)]!,
      customerTags: r() < 0.1 ? ['vip'] : [],
    });
  });
}

function stock(): CandidateStock[] {
  const r = rng(7);
  return SKUS.flatMap((sku) => LOCATIONS.map((l) => ({ variantId: `v-${sku}`, locationId: l.id, units: Math.floor(r() * 6) })));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function report(label: string, times: number[], refused: number) {
  const s = [...times].sort((a, b) => a - b);
  console.log(`${label}: ${times.length} decisions, p50 ${pct(s, 50).toFixed(3)} ms, p99 ${pct(s, 99).toFixed(3)} ms, max ${s.at(-1)!.toFixed(3)} ms (${refused} refused: short or over the cap)`);
}

const all = orders(DECISIONS);
const pool = stock();
for (let i = 0; i < 200; i++) decideRouting({ order: all[i % all.length]!, locations: LOCATIONS, stock: pool, rules: RULES, defaults: { strategy: 'fewest_shipments', maxSplits: 3 }, now: new Date() });
const pure: number[] = [];
let refused = 0;
for (const order of all) {
  const t = performance.now();
  const r = decideRouting({ order, locations: LOCATIONS, stock: pool, rules: RULES, defaults: { strategy: 'fewest_shipments', maxSplits: 3 }, now: new Date() });
  pure.push(performance.now() - t);
  if (!r.ok) refused++;
}
report('pure engine (20 rules, 10 locations)', pure, refused);

async function seed(db: Db) {
  await migrate(db);
  for (const l of LOCATIONS) {
    await db.query(
      `INSERT INTO locations (id, name, kind, region, country, zip, latitude, longitude, hazmat, max_weight_grams, priority)
       VALUES ($1, $1, 'warehouse', '', 'US', $2, $3, $4, $5, $6, $7)`,
      [l.id, l.zip, l.latitude, l.longitude, l.hazmat, l.maxWeightGrams, l.priority],
    );
  }
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ('p-bench', 'Bench', 'bench')`);
  for (const sku of SKUS) {
    await db.query(`INSERT INTO variants (id, product_id, sku, price, weight_grams, tags) VALUES ($1, 'p-bench', $2, 10, 500, $3)`, [`v-${sku}`, sku, []]);
  }
  for (const s of pool) {
    if (s.units > 0) await recordMovement(db, { variantId: s.variantId, locationId: s.locationId, quantity: s.units, kind: 'receipt', reason: 'bench', actor: systemActor('bench') });
  }
  for (const r of RULES) {
    await db.query(`INSERT INTO routing_rules (id, position, name, conditions, outcome) VALUES ($1, $2, $3, $4, $5)`, [r.id, r.position, r.name, JSON.stringify(r.conditions), JSON.stringify(r.outcome)]);
  }
}

async function inTransaction(label: string, db: Db, n: number) {
  const list = all.slice(0, n);
  const built = await Promise.all(list.map((o) => buildRoutingOrder(db, { ...o, lines: o.lines.map((l) => ({ key: l.key, variantId: l.variantId, quantity: l.quantity, priceCents: l.priceCents })) })));
  const times: number[] = [];
  let no = 0;
  for (const order of built) {
    const t = performance.now();
    await db.transaction((tx) => routeOrderStock(tx, order, { settings: DEFAULT_ROUTING_SETTINGS })).catch(() => void no++);
    times.push(performance.now() - t);
  }
  report(label, times, no);
}

const TX_DECISIONS = Math.min(DECISIONS, 1000);
const lite = await createPgliteDb();
try {
  await seed(lite);
  await inTransaction('in a transaction, lock + read + decide, PGlite', lite, TX_DECISIONS);
} finally {
  await lite.close();
}

const pgUrl = process.env.BENCH_POSTGRES_URL;
if (pgUrl) {
  const name = `orderops_bench_routing_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const db = createPostgresDb(u.toString());
  try {
    await seed(db);
    await inTransaction('in a transaction, lock + read + decide, PostgreSQL', db, TX_DECISIONS);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log('PostgreSQL skipped: set BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run it');
}
