import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { recordDemand } from '../../src/anomaly/stock-monitor.js';
import { loadConfig } from '../../src/config/config.js';
import { readTrends } from '../../src/console/trends.js';
import type { Db } from '../../src/db/db.js';
import { buildServer } from '../../src/server/build-server.js';
import { insertOrder } from '../anomaly/anomaly-fixtures.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const DAY = 86_400_000;
// 22:30 on Tuesday 20 May in New York (UTC-4).
const NOW = new Date('2025-05-21T02:30:00Z');
const TZ = 'America/New_York';
const actor = { kind: 'job' as const, id: 'test' };

async function flagAt(db: Db, rule: string, category: 'risk' | 'stock' | 'operations', firstSeen: string) {
  const { flag } = await raiseFlag(
    db,
    { subjectType: 'order', subjectId: `o-${rule}-${firstSeen}`, rule, category, severity: 'warning', score: 50, title: rule, reasons: [] },
    actor,
  );
  await db.query(`UPDATE anomaly_flags SET first_seen_at = $2 WHERE id = $1`, [flag.id, firstSeen]);
}

describeEachDb('trends', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    for (const placedAt of ['2025-05-21T02:20:00Z', '2025-05-20T23:15:00Z', '2025-05-20T23:59:00Z', '2025-05-19T01:29:00Z']) {
      await insertOrder(ctx.db, { placedAt: new Date(placedAt) });
    }
    // Local 20 May 21:00, an SLA breach; local 19 May 23:00 and 20 May 01:00, other flags.
    await flagAt(ctx.db, 'order_sla', 'operations', '2025-05-21T01:00:00Z');
    await flagAt(ctx.db, 'velocity', 'risk', '2025-05-20T03:00:00Z');
    await flagAt(ctx.db, 'negative_stock', 'stock', '2025-05-20T05:00:00Z');
    await flagAt(ctx.db, 'past_promised_date', 'operations', '2025-05-10T05:00:00Z');

    // TR-A: 15 at each of two warehouses at 10 a day, out in 1.5 days at both; TR-B: 5 at 10 a day.
    await seedTestCatalog(ctx.db, 'p-trends', [
      { sku: 'TR-A', price: '5.00', stock: { 'loc-east-wh': 15, 'loc-west-wh': 15 } },
      { sku: 'TR-B', price: '5.00', stock: { 'loc-east-wh': 5 } },
      { sku: 'TR-C', price: '5.00', stock: { 'loc-east-wh': 500 } },
    ]);
    for (const [variant, location] of [['v-TR-A', 'loc-east-wh'], ['v-TR-A', 'loc-west-wh'], ['v-TR-B', 'loc-east-wh'], ['v-TR-C', 'loc-east-wh']]) {
      for (let d = 14; d >= 1; d--) await recordDemand(ctx.db, variant!, location!, 10, new Date(NOW.getTime() - d * DAY));
    }
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', STORE_TIMEZONE: TZ } as NodeJS.ProcessEnv) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts orders in each of the last 48 local hours, zero when there were none', async () => {
    const t = await readTrends(ctx.db, { days: 3, timeZone: TZ, now: NOW });
    expect(t.orders_per_hour).toHaveLength(48);
    expect(t.orders_per_hour[47]).toEqual({ hour: '2025-05-21T02:00:00.000Z', count: 1 });
    expect(t.orders_per_hour[44]).toEqual({ hour: '2025-05-20T23:00:00.000Z', count: 2 });
    // 01:29 on the 19th is 49 hours back: outside the window.
    expect(t.orders_per_hour[0]!.hour).toBe('2025-05-19T03:00:00.000Z');
    expect(t.orders_per_hour.reduce((n, h) => n + h.count, 0)).toBe(3);
    expect(t.orders_per_hour.filter((h) => h.count === 0)).toHaveLength(46);
  });

  it('buckets breaches and flags by the day in the store time zone', async () => {
    const t = await readTrends(ctx.db, { days: 3, timeZone: TZ, now: NOW });
    expect(t.sla_breaches_per_day).toEqual([
      { day: '2025-05-18', count: 0 },
      { day: '2025-05-19', count: 0 },
      { day: '2025-05-20', count: 1 },
    ]);
    expect(t.flags_per_day).toEqual([
      { day: '2025-05-18', count: 0, by_category: { risk: 0, stock: 0, operations: 0 } },
      { day: '2025-05-19', count: 1, by_category: { risk: 1, stock: 0, operations: 0 } },
      { day: '2025-05-20', count: 1, by_category: { risk: 0, stock: 1, operations: 0 } },
    ]);
    // In UTC the same instants fall a day later.
    const utc = await readTrends(ctx.db, { days: 3, timeZone: 'UTC', now: NOW });
    expect(utc.sla_breaches_per_day.map((d) => [d.day, d.count])).toEqual([['2025-05-19', 0], ['2025-05-20', 0], ['2025-05-21', 1]]);
    expect(utc.flags_per_day.map((d) => [d.day, d.count])).toEqual([['2025-05-19', 0], ['2025-05-20', 2], ['2025-05-21', 0]]);
  });

  it('counts variants projected to run out on each day ahead, once each however many locations', async () => {
    const t = await readTrends(ctx.db, { days: 3, timeZone: TZ, now: NOW });
    // TR-B: half a day, 10:30 local on the 21st; TR-A: a day and a half, 10:30 local on the 22nd; TR-C: 50 days.
    expect(t.stockouts_projected).toEqual([
      { day: '2025-05-20', count: 0 },
      { day: '2025-05-21', count: 1 },
      { day: '2025-05-22', count: 1 },
    ]);
  });

  it('GET /api/trends answers the series for ?days in the store zone, and 400 naming days otherwise', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/trends?days=5' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.time_zone).toBe(TZ);
    expect(body.orders_per_hour).toHaveLength(48);
    for (const series of ['sla_breaches_per_day', 'flags_per_day', 'stockouts_projected']) expect(body[series]).toHaveLength(5);
    expect((await app.inject({ method: 'GET', url: '/api/trends' })).json().sla_breaches_per_day).toHaveLength(14);
    for (const days of ['0', '91', 'two', '1.5']) {
      const bad = await app.inject({ method: 'GET', url: `/api/trends?days=${days}` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['days']);
    }
  });
});
