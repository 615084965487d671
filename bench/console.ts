/**
 * The operator API under a store of realistic size: 10,000 demo orders (our own generator) with
 * the inbox topped up to 500 open items by holding orders through the state machine, then each
 * list endpoint asked `--requests` times in a row through the running server (first pages,
 * filters, searches and the pages after a cursor). Baseline in the same run: GET /healthz, the
 * cheapest route behind the same server and auth.
 *
 *   npm run bench:console -- [--orders 10000] [--open 500] [--requests 40] [--backend pglite|postgres]
 *   env (postgres): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * On PostgreSQL it creates the scratch database orderops_bench_console (dropped afterwards).
 * The last line printed is one JSON object.
 */
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { systemActor } from '../src/domain/actor.js';
import { holdOrder } from '../src/domain/orders/hold-order.js';
import { startApp } from '../src/server/start-app.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    open: { type: 'string', default: '500' },
    requests: { type: 'string', default: '40' },
    backend: { type: 'string', default: 'pglite' },
  },
});
const positiveInt = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:console: ${name} must be a positive whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const ORDERS = positiveInt('--orders', args.orders);
const OPEN = positiveInt('--open', args.open);
const REQUESTS = positiveInt('--requests', args.requests);
if (args.backend !== 'pglite' && args.backend !== 'postgres') {
  console.error(`bench:console: --backend must be pglite or postgres, got "${args.backend}"`);
  process.exit(2);
}
const BACKEND = args.backend;
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRATCH = 'orderops_bench_console';
const TOKEN = 'bench-console-token-0123456789';

async function openDb(): Promise<Db> {
  if (BACKEND === 'pglite') return createPgliteDb({ dataDir: mkdtempSync(join(tmpdir(), 'orderops-bench-console-')) });
  await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
  await adminQuery(ADMIN_URL, `CREATE DATABASE ${SCRATCH}`);
  return createPostgresDb(withDatabase(ADMIN_URL, SCRATCH));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const db = await openDb();
try {
  await migrate(db);
  const seeded = await seedDemo(db, { orders: ORDERS, customers: Math.max(100, Math.round(ORDERS / 6)) });
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0', SMTP_PORT: '0', SEED_DEMO: 'false', AUTO_FULFIL: 'false', API_TOKEN: TOKEN, DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-bench-console-data-')) });
  const running = await startApp(config, { db, extensions: [], log: () => {} });
  const get = async (path: string): Promise<{ ms: number; body: { items?: unknown[]; next_cursor?: string | null } }> => {
    const t = performance.now();
    const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { items?: unknown[]; next_cursor?: string | null };
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, body };
  };

  // Top the inbox up to OPEN items with holds, oldest orders first, as a backlog would be.
  const countOpen = async () => {
    let n = 0;
    let cursor: string | null | undefined;
    do {
      const page = (await get(`/api/inbox?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      n += page.items?.length ?? 0;
      cursor = page.next_cursor;
    } while (cursor);
    return n;
  };
  let open = await countOpen();
  if (open < OPEN) {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'pending' ORDER BY placed_at LIMIT $1`, [OPEN - open]);
    for (const r of rows) await holdOrder(db, { orderId: r.id, reason: 'address check' }, systemActor('bench-console'));
    open = await countOpen();
  }
  const { rows: sample } = await db.query<{ email: string; sku: string }>(
    `SELECT c.email, v.sku FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_lines l ON l.order_id = o.id JOIN variants v ON v.id = l.variant_id ORDER BY o.placed_at DESC LIMIT 1`,
  );
  const { email, sku } = sample[0]!;

  const second = async (path: string) => {
    const first = await get(path);
    const cursor = first.body.next_cursor;
    return cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path;
  };
  const endpoints: Record<string, string> = {
    'GET /healthz (baseline)': '/healthz',
    'GET /api/orders': '/api/orders',
    'GET /api/orders (page 2)': await second('/api/orders'),
    'GET /api/orders?status=on_hold': '/api/orders?status=on_hold',
    'GET /api/orders?q=<email>': `/api/orders?q=${encodeURIComponent(email)}`,
    'GET /api/orders?q=<sku>': `/api/orders?q=${encodeURIComponent(sku.toLowerCase())}`,
    'GET /api/inbox': '/api/inbox',
    'GET /api/inbox (page 2)': await second('/api/inbox'),
    'GET /api/approvals': '/api/approvals',
    'GET /api/flags': '/api/flags',
    'GET /api/products?q=<sku>': `/api/products?q=${encodeURIComponent(sku.toLowerCase())}`,
    'GET /api/inventory': '/api/inventory',
    'GET /api/jobs/failed': '/api/jobs/failed',
  };
  const results: { endpoint: string; items: number; p50_ms: number; p95_ms: number }[] = [];
  for (const [name, path] of Object.entries(endpoints)) {
    await get(path); // warm
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await get(path);
      times.push(r.ms);
      items = r.body.items?.length ?? 0;
    }
    times.sort((a, b) => a - b);
    results.push({ endpoint: name, items, p50_ms: Number(percentile(times, 50).toFixed(1)), p95_ms: Number(percentile(times, 95).toFixed(1)) });
  }
  await running.stop();
  const baseline = results[0]!.p95_ms;
  for (const r of results) console.log(`${r.endpoint.padEnd(34)} items ${String(r.items).padStart(3)}  p50 ${String(r.p50_ms).padStart(7)} ms  p95 ${String(r.p95_ms).padStart(7)} ms  (${(r.p95_ms / baseline).toFixed(1)}x healthz)`);
  console.log(JSON.stringify({
    bench: 'console',
    backend: BACKEND,
    orders: seeded.orders,
    open_items: open,
    requests: REQUESTS,
    results,
    worst_list_p95_ms: Math.max(...results.slice(1).map((r) => r.p95_ms)),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
  }));
} finally {
  await db.close();
  if (BACKEND === 'postgres') await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
}
