/**
 * The operator API and console under a store of realistic size: 10,000 demo orders (our own
 * generator) with the inbox topped up to exactly 500 open items, first by holding pending orders
 * through the state machine, then, once the demo store has no pending order left, by raising
 * open risk flags through the flag service. Each list endpoint is then asked `--requests` times in
 * a row through the running server (first pages, filters, searches and the pages after a cursor).
 * Baseline in the same run: GET /healthz, the cheapest route behind the same server and auth.
 * Then the console's inbox is loaded `--loads` times in headless Chromium with a signed-in
 * session: time to first render is from navigation start to the first inbox row entering the
 * page's DOM, as the page's own clock (performance.now) reads it.
 *
 *   npm run bench:console -- [--orders 10000] [--open 500] [--requests 40] [--loads 10] [--backend pglite|postgres]
 *   env (postgres): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * Without --backend it runs on PGlite and then on PostgreSQL when that server answers. On
 * PostgreSQL it creates the scratch database orderops_bench_console (dropped afterwards).
 * Each run ends with one line holding a JSON object.
 */
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildConsoleIfStale } from '../console/build-if-stale.js';
import { raiseFlag } from '../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../src/config/config.js';
import { consoleExtension } from '../src/console/console-extension.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { systemActor } from '../src/domain/actor.js';
import { holdOrder } from '../src/domain/orders/hold-order.js';
import { createUserRepository } from '../src/security/user-repository.js';
import { startApp, type RunningApp } from '../src/server/start-app.js';
import { SESSION_COOKIE } from '../src/server/session-cookie.js';
import { launchHeadlessChromium } from '../test/support/headless-chromium.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    open: { type: 'string', default: '500' },
    requests: { type: 'string', default: '40' },
    loads: { type: 'string', default: '10' },
    backend: { type: 'string' },
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
const LOADS = positiveInt('--loads', args.loads);
type Backend = 'pglite' | 'postgres';
if (args.backend !== undefined && args.backend !== 'pglite' && args.backend !== 'postgres') {
  console.error(`bench:console: --backend must be pglite or postgres, got "${args.backend}"`);
  process.exit(2);
}
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRATCH = 'orderops_bench_console';
const TOKEN = 'bench-console-token-0123456789';
const VIEWER = { email: 'bench.viewer@example.com', password: 'bench console viewer password' };
const bench = systemActor('bench-console');

async function postgresReachable(): Promise<boolean> {
  try {
    await adminQuery(ADMIN_URL, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

async function openDb(backend: Backend): Promise<Db> {
  if (backend === 'pglite') return createPgliteDb({ dataDir: mkdtempSync(join(tmpdir(), 'orderops-bench-console-')) });
  await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
  await adminQuery(ADMIN_URL, `CREATE DATABASE ${SCRATCH}`);
  return createPostgresDb(withDatabase(ADMIN_URL, SCRATCH));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Number(ms.toFixed(1));

/**
 * Milliseconds from navigation start to the first inbox row, read in the page itself, for each of
 * `LOADS` loads of /console/ (after one unmeasured load that fills the browser's cache).
 */
async function inboxFirstRender(running: RunningApp, db: Db, hashRounds: number): Promise<{ rows: number; times: number[] }> {
  await createUserRepository(db, { hashRounds }).add({ ...VIEWER, role: 'viewer', name: 'Bench Viewer' }, bench);
  const login = await fetch(`${running.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VIEWER) });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
  const token = /orderops_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error('sign-in set no session cookie');
  const chromium = await launchHeadlessChromium();
  try {
    await chromium.context.addCookies([{ name: SESSION_COOKIE, value: token, url: running.url }]);
    const rendered = 'body[data-page="inbox"] table.list tbody tr';
    // Stamped by the page itself once the rows are in and the page says it is the inbox (it marks
    // itself after rendering). An init script is used because the console's CSP forbids eval,
    // which a polled predicate needs.
    await chromium.context.addInitScript(`new MutationObserver((_, observer) => {
      if (!document.querySelector(${JSON.stringify(rendered)})) return;
      window.inboxRenderedAt = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-page'] });`);
    const page = await chromium.context.newPage();
    const load = async () => {
      await page.goto(`${running.url}/console/`, { waitUntil: 'commit' });
      await page.locator(rendered).first().waitFor({ timeout: 30_000 });
      const at = await page.evaluate('window.inboxRenderedAt');
      if (typeof at !== 'number') throw new Error('the inbox rendered but the page recorded no time');
      return at;
    };
    await load();
    const times: number[] = [];
    for (let i = 0; i < LOADS; i++) times.push(await load());
    const rows = await page.locator(rendered).count();
    return { rows, times };
  } finally {
    await chromium.close();
  }
}

async function runBackend(backend: Backend): Promise<void> {
  const db = await openDb(backend);
  try {
    await migrate(db);
    const seeded = await seedDemo(db, { orders: ORDERS, customers: Math.max(100, Math.round(ORDERS / 6)) });
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0', SMTP_PORT: '0', SEED_DEMO: 'false', AUTO_FULFIL: 'false', API_TOKEN: TOKEN, DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-bench-console-data-')) });
    const running = await startApp(config, { db, extensions: [consoleExtension()], log: () => {} });
    const get = async (path: string): Promise<{ ms: number; body: { items?: unknown[]; next_cursor?: string | null } }> => {
      const t = performance.now();
      const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await res.json()) as { items?: unknown[]; next_cursor?: string | null };
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };

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
    // A backlog as it builds up: holds on the oldest pending orders, then, when none is left,
    // open risk flags on the oldest orders that have none, one inbox item each.
    let open = await countOpen();
    const held = { orders: 0, flags: 0 };
    if (open < OPEN) {
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'pending' ORDER BY placed_at LIMIT $1`, [OPEN - open]);
      for (const r of rows) await holdOrder(db, { orderId: r.id, reason: 'address check' }, bench);
      held.orders = rows.length;
      open = await countOpen();
    }
    if (open < OPEN) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT o.id FROM orders o
          WHERE NOT EXISTS (SELECT 1 FROM anomaly_flags f WHERE f.subject_type = 'order' AND f.subject_id = o.id AND f.rule = 'order_risk' AND f.status <> 'resolved')
          ORDER BY o.placed_at LIMIT $1`,
        [OPEN - open],
      );
      for (const r of rows) {
        const { created } = await raiseFlag(db, {
          subjectType: 'order', subjectId: r.id, rule: 'order_risk', category: 'risk', severity: 'warning', score: 55,
          title: `Order ${r.id} needs a risk review`, reasons: ['billing and shipping countries differ'],
        }, bench);
        if (created) held.flags++;
      }
      open = await countOpen();
    }
    if (open !== OPEN) console.warn(`bench:console: the inbox holds ${open} open items, not the ${OPEN} asked for`);
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
      results.push({ endpoint: name, items, p50_ms: round(percentile(times, 50)), p95_ms: round(percentile(times, 95)) });
    }
    const render = await inboxFirstRender(running, db, config.PASSWORD_HASH_ROUNDS);
    await running.stop();
    const sortedRender = [...render.times].sort((a, b) => a - b);
    const inboxRender = { loads: LOADS, rows: render.rows, median_ms: round(percentile(sortedRender, 50)), p95_ms: round(percentile(sortedRender, 95)) };

    const baseline = results[0]!.p95_ms;
    console.log(`== ${backend}: ${seeded.orders} orders, ${open} open inbox items (${held.orders} held, ${held.flags} flags raised)`);
    for (const r of results) console.log(`${r.endpoint.padEnd(34)} items ${String(r.items).padStart(3)}  p50 ${String(r.p50_ms).padStart(7)} ms  p95 ${String(r.p95_ms).padStart(7)} ms  (${(r.p95_ms / baseline).toFixed(1)}x healthz)`);
    console.log(`console inbox first render (${LOADS} loads, ${render.rows} rows)  median ${inboxRender.median_ms} ms  p95 ${inboxRender.p95_ms} ms`);
    console.log(JSON.stringify({
      bench: 'console',
      backend,
      orders: seeded.orders,
      open_items: open,
      topped_up: held,
      requests: REQUESTS,
      results,
      worst_list_p95_ms: Math.max(...results.slice(1).map((r) => r.p95_ms)),
      inbox_first_render: inboxRender,
      inbox_first_render_ms: render.times.map(round),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
    }));
  } finally {
    await db.close();
    if (backend === 'postgres') await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
  }
}

await buildConsoleIfStale((line) => console.log(`bench:console: ${line}`));
const backends: Backend[] = args.backend ? [args.backend as Backend] : ['pglite', ...((await postgresReachable()) ? ['postgres' as const] : [])];
if (!backends.includes('postgres')) console.log(`bench:console: PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} is not reachable; PGlite only`);
for (const backend of backends) await runBackend(backend);
