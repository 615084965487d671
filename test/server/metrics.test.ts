import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { createCircuitBreakers } from '../../src/connectors/circuit-breakers.js';
import { createOutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { createMetricsRegistry, type MetricsRegistry } from '../../src/server/metrics-registry.js';
import { startApp, type AppExtension, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { parsePrometheusText, sampleValue, type Sample } from '../support/parse-prometheus-text.js';
import { openCancelApproval } from '../support/pending-cancel-approval.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb, openTestDb } from '../support/test-db.js';

const API_TOKEN = 'metrics-test-api-token-0123456789';
const METRICS_TOKEN = 'metrics-test-scrape-token-0123456789';
const PASSWORD = 'a long test password';
const config = loadConfig({
  LOG_LEVEL: 'silent',
  NODE_ENV: 'test',
  PASSWORD_HASH_ROUNDS: '4',
  API_TOKEN,
  METRICS_TOKEN,
} as NodeJS.ProcessEnv);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const order = (externalId: string) => ({
  channel: 'shopify',
  external_id: externalId,
  customer: { email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' },
  shipping_address: { address1: '9 Pier Rd', city: 'Seattle', state: 'WA', country: 'USA', zip: '98101' },
  lines: [{ sku: 'MET-TEE', quantity: 1 }],
  payment: { method: 'card' },
});

describeEachDb('GET /metrics', (ctx) => {
  let app: FastifyInstance;
  let metrics: MetricsRegistry;

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    await seedTestCatalog(ctx.db, 'p-metrics', [{ sku: 'MET-TEE', price: '25.00', stock: { 'loc-west-wh': 10 } }]);
    const users = createUserRepository(ctx.db, { hashRounds: 4 });
    for (const role of ['viewer', 'admin'] as const) {
      await users.add({ email: `${role}@example.com`, role, password: PASSWORD }, { kind: 'person', id: 'cli:test' });
    }
    // No reuse between scrapes, so each one shows the database as it is.
    metrics = createMetricsRegistry({ db: ctx.db, ordersCacheMs: 0 });
    app = buildServer({ db: ctx.db, config, metrics });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const scrape = async (): Promise<Sample[]> => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(res.statusCode, res.body).toBe(200);
    return parsePrometheusText(res.body);
  };
  const countOf = (samples: Sample[], method: string, route: string, statusClass: string) =>
    sampleValue(samples, 'orderops_http_request_duration_seconds_count', { method, route, status_class: statusClass }) ?? 0;
  const sessionCookie = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  };

  it('needs a credential: 401 without one or with a wrong token, 200 in the text format with API_TOKEN or METRICS_TOKEN', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('orderops_');
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: bearer('not-a-token-we-issued-0123') })).statusCode).toBe(401);
    // The router decodes escapes, so an encoded path is the same route behind the same guard.
    expect((await app.inject({ method: 'GET', url: '/%6detrics' })).statusCode).toBe(401);

    for (const token of [API_TOKEN, METRICS_TOKEN]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(() => parsePrometheusText(res.body)).not.toThrow();
    }
  });

  it("reports each outside service's circuit: 0 closed, 2 open", async () => {
    const breakers = createCircuitBreakers({ failureThreshold: 1 });
    metrics.watchCircuits(breakers);
    await breakers.for('smtp').run(async () => 'sent');
    await breakers.for('twilio').run(() => Promise.reject(new Error('503'))).catch(() => undefined);
    const samples = await scrape();
    expect(sampleValue(samples, 'orderops_circuit_state', { service: 'smtp' })).toBe(0);
    expect(sampleValue(samples, 'orderops_circuit_state', { service: 'twilio' })).toBe(2);
  });

  it('METRICS_TOKEN opens /metrics and nothing else', async () => {
    const read = await app.inject({ method: 'GET', url: '/api/orders', headers: bearer(METRICS_TOKEN) });
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ code: 'forbidden' });
    const write = await app.inject({ method: 'POST', url: '/api/orders', headers: bearer(METRICS_TOKEN), payload: order('metrics-token-write') });
    expect(write.statusCode).toBe(403);
    expect(await ctx.db.query(`SELECT 1 FROM orders WHERE external_id = 'metrics-token-write'`)).toMatchObject({ rows: [] });
    expect((await app.inject({ method: 'GET', url: '/api/jobs/failed', headers: bearer(METRICS_TOKEN) })).statusCode).toBe(403);
  });

  it('a signed-in person needs the admin role', async () => {
    const viewer = await app.inject({ method: 'GET', url: '/metrics', headers: { cookie: await sessionCookie('viewer@example.com') } });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json()).toMatchObject({ code: 'forbidden_role' });
    const admin = await app.inject({ method: 'GET', url: '/metrics', headers: { cookie: await sessionCookie('admin@example.com') } });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('orderops_orders');
  });

  it('times requests by method, matched route pattern and status class, never by the URL as sent', async () => {
    const before = await scrape();
    for (const id of ['%23W1000001', '%23W1000002']) {
      expect((await app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: bearer(API_TOKEN) })).statusCode).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/api/orders/%23W9999999', headers: bearer(API_TOKEN) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/no/such/page-1234', headers: bearer(API_TOKEN) })).statusCode).toBe(404);
    const after = await scrape();

    expect(countOf(after, 'GET', '/api/orders/:id', '2xx') - countOf(before, 'GET', '/api/orders/:id', '2xx')).toBe(2);
    expect(countOf(after, 'GET', '/api/orders/:id', '4xx') - countOf(before, 'GET', '/api/orders/:id', '4xx')).toBe(1);
    expect(countOf(after, 'GET', '(unmatched)', '4xx') - countOf(before, 'GET', '(unmatched)', '4xx')).toBe(1);
    // The scrapes themselves are requests too.
    expect(countOf(after, 'GET', '/metrics', '2xx')).toBeGreaterThan(countOf(before, 'GET', '/metrics', '2xx'));
    const routes = new Set(after.filter((s) => s.name.startsWith('orderops_http_')).map((s) => s.labels.route));
    expect([...routes].filter((r) => r !== undefined && /W100|W999|no\/such|%/.test(r))).toEqual([]);
    const sum = sampleValue(after, 'orderops_http_request_duration_seconds_sum', { method: 'GET', route: '/api/orders/:id', status_class: '2xx' })!;
    expect(sum).toBeGreaterThan(0);
    expect(sampleValue(after, 'orderops_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/orders/:id', status_class: '2xx', le: '+Inf' }))
      .toBe(countOf(after, 'GET', '/api/orders/:id', '2xx'));
  });

  it('orders per status and approvals waiting are what the database holds', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/orders', headers: bearer(API_TOKEN), payload: order('metrics-1') });
    expect(created.statusCode, created.body).toBe(201);
    const requester = { kind: 'person' as const, id: 'alice.ng@example.com' };
    await openCancelApproval(ctx.db, config, '#W1000001', requester);
    const lapsed = await openCancelApproval(ctx.db, config, '#W1000005', requester);
    await ctx.db.query(`UPDATE approvals SET expires_at = now() - interval '1 minute' WHERE id = $1`, [lapsed]);

    const samples = await scrape();
    const { rows } = await ctx.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM orders GROUP BY status');
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(sampleValue(samples, 'orderops_orders', { status: r.status }), r.status).toBe(r.n);
    const total = samples.filter((s) => s.name === 'orderops_orders').reduce((a, s) => a + s.value, 0);
    expect(total).toBe(rows.reduce((a, r) => a + r.n, 0));
    // A status no order holds is reported as 0 rather than missing.
    expect(sampleValue(samples, 'orderops_orders', { status: 'exception' })).toBe(rows.find((r) => r.status === 'exception')?.n ?? 0);

    const pending = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM approvals WHERE status = 'pending' AND expires_at > now()`);
    expect(pending.rows[0]!.n).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'orderops_approvals_waiting')).toBe(pending.rows[0]!.n);
  });

  it('reports the outbox backlog, dead letters not retried and the stock sync lag, and times the jobs that run', async () => {
    await recordFailedJob(ctx.db, { queue: 'metrics-test', jobId: 'open-1', payload: {}, error: 'boom', attempts: 3 });
    await recordFailedJob(ctx.db, { queue: 'metrics-test', jobId: 'retried-1', payload: {}, error: 'boom', attempts: 3 });
    await ctx.db.query(`UPDATE failed_jobs SET retried_at = now(), retried_by = 'test' WHERE job_id = 'retried-1'`);
    await ctx.db.query(
      `INSERT INTO channel_stock_sync (variant_id, channel, dirty, dirty_since) VALUES ('v-MET-TEE', 'metrics-shop', true, now() - interval '90 seconds')`,
    );

    const waiting = await outboxWaiting(ctx.db);
    expect(waiting).toBeGreaterThan(0);
    const before = await scrape();
    expect(sampleValue(before, 'orderops_queue_depth', { queue: 'outbox' })).toBe(waiting);
    expect(sampleValue(before, 'orderops_queue_oldest_waiting_seconds', { queue: 'outbox' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(before, 'orderops_failed_jobs_not_retried', { queue: 'metrics-test' })).toBe(1);
    expect(sampleValue(before, 'orderops_stock_sync_pending', { channel: 'metrics-shop' })).toBe(1);
    expect(sampleValue(before, 'orderops_stock_sync_lag_seconds', { channel: 'metrics-shop' })).toBeGreaterThanOrEqual(90);

    const dispatcher = createOutboxDispatcher(ctx.db, {
      subscribers: [{ topic: 'order.created', name: 'metrics-test-handler', handle: async () => undefined }],
      observer: metrics.jobs,
    });
    while ((await dispatcher.runDue()) > 0);
    const after = await scrape();
    expect(sampleValue(after, 'orderops_queue_depth', { queue: 'outbox' })).toBe(0);
    expect(sampleValue(after, 'orderops_queue_oldest_waiting_seconds', { queue: 'outbox' })).toBe(0);
    const created = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'order.created'`);
    expect(sampleValue(after, 'orderops_job_duration_seconds_count', { queue: 'outbox', job: 'metrics-test-handler' })).toBe(created.rows[0]!.n);
  });

  it("includes the process's own metrics", async () => {
    const names = new Set((await scrape()).map((s) => s.name));
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(names, name).toContain(name);
    }
  });
});

async function outboxWaiting(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL AND dead_at IS NULL');
  return rows[0]!.n;
}

describe('job metrics of a running service', () => {
  let db: Db;
  let running: RunningApp;
  let tries = 0;
  const flaky: AppExtension = async (ctx) => {
    ctx.queue.register('metrics-flaky', async () => {
      tries++;
      if (tries === 1) throw new Error('the first try fails');
    });
  };

  beforeAll(async () => {
    db = await openTestDb('pglite');
    running = await startApp(testAppConfig('metrics', { API_TOKEN, METRICS_TOKEN }), { db, extensions: [flaky], log: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await db?.close();
  });

  it('times each attempt of a queue job and counts the one that threw', async () => {
    await running.queue.enqueue('metrics-flaky', {});
    await running.queue.drain();
    const res = await fetch(`${running.url}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(res.status).toBe(200);
    const samples = parsePrometheusText(await res.text());
    const labels = { queue: 'metrics-flaky', job: 'metrics-flaky' };
    expect(sampleValue(samples, 'orderops_job_duration_seconds_count', labels)).toBe(2);
    expect(sampleValue(samples, 'orderops_job_failures_total', labels)).toBe(1);
  });
});
