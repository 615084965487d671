/**
 * CSV order import: a synthetic Shopify orders export of N rows (one row per line item) streamed
 * through `importOrdersCsv`, the code behind `orderops import orders`, into PGlite and/or
 * PostgreSQL. Prints rows/s, orders/s and the process's peak resident memory.
 *
 *   npm run bench:import -- [--rows 100000] [--backend pglite|postgres|both] [--concurrency 4 (postgres only)]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) for the postgres run
 *
 * The file is written to a temp directory and deleted afterwards. About 1% of orders name an
 * unknown SKU (held) and 0.2% carry an unreadable email (rejected), so both paths are in the
 * figures. The catalog (200 SKUs at two locations, deep stock through the movements ledger) is
 * seeded first. The last line printed is one JSON object with every figure.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { importOrdersCsv, type ImportOrdersSummary } from '../src/connectors/storefronts/csv/import-orders-csv.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { upsertCatalog } from '../src/domain/catalog/upsert-catalog.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { DEFAULT_ROUTING_SETTINGS } from '../src/domain/routing/routing-settings.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, backend: { type: 'string', default: 'pglite' }, concurrency: { type: 'string', default: '4' } } });
const CONCURRENCY = Number(args.concurrency);
const ROWS = Number(args.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) {
  console.error(`bench:import: --rows must be a positive integer, got "${args.rows}"`);
  process.exit(2);
}
if (!['pglite', 'postgres', 'both'].includes(args.backend!)) {
  console.error(`bench:import: --backend must be pglite, postgres or both, got "${args.backend}"`);
  process.exit(2);
}
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'orderops_bench_import';
const SKUS = Array.from({ length: 200 }, (_, i) => `BI-${String(i).padStart(3, '0')}`);
const HEADER =
  'Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,' +
  'Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Billing Name,Billing Address1,Billing City,' +
  'Billing Zip,Billing Province,Billing Country,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,Shipping Province,' +
  'Shipping Country,Notes,Payment Method,Id,Tags';
const CITIES = [
  ['Albany', '12207', 'NY'],
  ['Seattle', '98101', 'WA'],
  ['Austin', '73301', 'TX'],
  ['Denver', '80202', 'CO'],
] as const;

/** A deterministic pseudo-random sequence, so every run imports the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  const rand = rng(42);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(HEADER);
  let written = 0;
  let order = 0;
  while (written < rows) {
    order++;
    const lineCount = Math.min(rows - written, 1 + Math.floor(rand() * 4));
    const lines = Array.from({ length: lineCount }, () => {
      const unknown = rand() < 0.01 / 2.5;
      const sku = unknown ? `UNKNOWN-${Math.floor(rand() * 50)}` : SKUS[Math.floor(rand() * SKUS.length)]!;
      return { sku, qty: 1 + Math.floor(rand() * 2), price: 10 + (SKUS.indexOf(sku) >= 0 ? SKUS.indexOf(sku) % 40 : 5) };
    });
    const subtotal = lines.reduce((s, l) => s + l.price * l.qty, 0);
    const shipping = 5;
    const tax = Math.round(subtotal * 8) / 100;
    const total = (subtotal + shipping + tax).toFixed(2);
    const [city, zip, state] = CITIES[order % CITIES.length]!;
    const email = rand() < 0.002 ? `buyer${order}-at-example.com` : `buyer${order % 5000}@example.com`;
    const name = `Buyer${order % 5000} Example`;
    const created = new Date(Date.UTC(2024, 0, 1) + order * 60_000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000');
    lines.forEach((l, i) => {
      const head =
        i === 0
          ? [`#${1000 + order}`, email, 'paid', 'USD', subtotal.toFixed(2), shipping.toFixed(2), tax.toFixed(2), total, '', '', 'Standard', created]
          : [`#${1000 + order}`, '', '', '', '', '', '', '', '', '', '', ''];
      const address = i === 0 ? [name, '1 Main St', city, zip, state, 'US', name, '1 Main St', city, zip, state, 'US', '', 'Credit Card', String(7_000_000 + order), ''] : Array(16).fill('');
      void write([...head, String(l.qty), `Item ${l.sku}`, l.price.toFixed(2), l.sku, 'true', ...address].join(','));
    });
    written += lineCount;
  }
  out.end();
  await once(out, 'finish');
  return order;
}

async function seed(db: Db): Promise<void> {
  await migrate(db);
  for (const [id, region, city, state, zip] of [
    ['bi-east', 'us-east', 'Newark', 'NJ', '07114'],
    ['bi-west', 'us-west', 'Ontario', 'CA', '91761'],
  ] as const) {
    await db.query(
      `INSERT INTO locations (id, name, kind, region, country, city, state, zip) VALUES ($1, $1, 'warehouse', $2, 'USA', $3, $4, $5)`,
      [id, region, city, state, zip],
    );
  }
  const actor = systemActor('bench-import');
  const products = SKUS.map((sku, i) => ({ handle: sku.toLowerCase(), name: `Bench ${sku}`, variants: [{ sku, options: {}, price: 10 + (i % 40) }] }));
  const { productIds } = await upsertCatalog(db, products, actor);
  const { rows } = await db.query<{ id: string }>('SELECT id FROM variants WHERE product_id = ANY($1::text[])', [productIds]);
  for (const v of rows) {
    for (const locationId of ['bi-east', 'bi-west']) {
      await recordMovement(db, { variantId: v.id, locationId, quantity: 1_000_000, kind: 'receipt', reason: 'bench stock', actor });
    }
  }
}

interface RunResult {
  backend: string;
  concurrency: number;
  seconds: number;
  rows_per_second: number;
  orders_per_second: number;
  peak_rss_mb: number;
  summary: ImportOrdersSummary;
}

async function run(backend: 'pglite' | 'postgres', file: string, dir: string): Promise<RunResult> {
  let db: Db;
  let cleanup = async () => {};
  if (backend === 'pglite') {
    db = await createPgliteDb({ dataDir: join(dir, `pglite-${Date.now()}`) });
  } else {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    await admin.end();
    const u = new URL(ADMIN_URL);
    u.pathname = `/${BENCH_DB}`;
    db = await createPostgresDb(u.toString());
    cleanup = async () => {
      const drop = new pg.Client({ connectionString: ADMIN_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
      await drop.end();
    };
  }
  try {
    await seed(db);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    let lastReport = started;
    const summary = await importOrdersCsv(db, createReadStream(file), {
      format: 'shopify',
      channel: 'shopify',
      actor: systemActor('bench-import'),
      order: { routing: DEFAULT_ROUTING_SETTINGS },
      concurrency: backend === 'postgres' ? CONCURRENCY : 1,
      onProgress: (s) => {
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          console.error(`  ${backend}: ${s.rows} rows, ${s.orders} orders, ${((s.rows / (lastReport - started)) * 1000).toFixed(0)} rows/s`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    return {
      backend,
      concurrency: backend === 'postgres' ? CONCURRENCY : 1,
      seconds: Math.round(seconds * 10) / 10,
      rows_per_second: Math.round(summary.rows / seconds),
      orders_per_second: Math.round(summary.orders / seconds),
      peak_rss_mb: Math.round(peak / 2 ** 20),
      summary,
    };
  } finally {
    await db.close();
    await cleanup();
  }
}

const dir = mkdtempSync(join(os.tmpdir(), 'bench-import-'));
try {
  const file = join(dir, 'orders_export.csv');
  const orders = await writeCsv(file, ROWS);
  const bytes = statSync(file).size;
  console.log(`bench:import: ${ROWS} rows, ${orders} orders, ${(bytes / 2 ** 20).toFixed(1)} MiB (Shopify orders export layout)`);
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`);
  const backends = args.backend === 'both' ? (['pglite', 'postgres'] as const) : ([args.backend] as ('pglite' | 'postgres')[]);
  const results: RunResult[] = [];
  for (const backend of backends) {
    const r = await run(backend, file, dir);
    results.push(r);
    const s = r.summary;
    console.log(
      `${backend}: ${r.seconds}s, ${r.rows_per_second} rows/s, ${r.orders_per_second} orders/s, peak RSS ${r.peak_rss_mb} MiB ` +
        `(imported ${s.imported}, held ${s.held}, rejected ${s.rejected}, duplicates ${s.duplicates})`,
    );
  }
  console.log(JSON.stringify({ rows: ROWS, orders, file_mib: Math.round((bytes / 2 ** 20) * 10) / 10, results }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
