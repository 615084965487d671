import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordDemand } from '../../src/anomaly/stock-monitor.js';
import { listStockOutlook } from '../../src/console/stock-outlook.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { insertOrder } from '../anomaly/anomaly-fixtures.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const DAY = 86_400_000;
// A Wednesday; every forecast below is flat, so the weekday does not matter.
const NOW = new Date('2025-05-21T12:00:00Z');

describeEachDb('stock outlook', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-outlook', [
      { sku: 'OUT-A', price: '9.00', stock: { 'loc-east-wh': 30, 'loc-west-wh': 100 } },
      { sku: 'OUT-B', price: '9.00', stock: { 'loc-east-wh': 4 } },
    ]);
    // 10 a day at the east warehouse for three weeks up to yesterday.
    for (let d = 21; d >= 1; d--) await recordDemand(ctx.db, 'v-OUT-A', 'loc-east-wh', 10, new Date(NOW.getTime() - d * DAY));
    const { orderId } = await insertOrder(ctx.db);
    await ctx.db.query(`INSERT INTO reservations (variant_id, location_id, order_id, quantity) VALUES ('v-OUT-A', 'loc-east-wh', $1, 5)`, [orderId]);
    // What every channel should show now: 25 + 100 available, no safety stock.
    for (const [channel, ext] of [['shopify', 'gid-1'], ['woocommerce', '77'], ['etsy', 'e-1']] as const) {
      await ctx.db.query(`INSERT INTO channel_variants (channel, external_variant_id, variant_id) VALUES ($1, $2, 'v-OUT-A')`, [channel, ext]);
    }
    await ctx.db.query(
      `INSERT INTO channel_stock_sync (variant_id, channel, dirty, pushed_quantity, pushed_at, channel_quantity) VALUES
         ('v-OUT-A', 'shopify', false, 125, '2025-05-21T11:00:00Z', 125),
         ('v-OUT-A', 'woocommerce', true, 130, '2025-05-21T10:00:00Z', 130)`,
    );
    await ctx.db.query(
      `INSERT INTO channel_stock_sync (variant_id, channel, dirty, dirty_since, pushed_quantity, pushed_at, attempts, last_error, failing_since)
       VALUES ('v-OUT-A', 'etsy', true, '2025-05-21T09:00:00Z', 120, '2025-05-20T08:00:00Z', 3, 'HTTP 503 from etsy', '2025-05-21T09:05:00Z')`,
    );
    await ctx.db.query(`UPDATE channel_stock_sync SET dirty_since = '2025-05-21T10:30:00Z' WHERE channel = 'woocommerce'`);
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' } as NodeJS.ProcessEnv) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives days of cover and the stock-out date from the forecast, per location', async () => {
    const page = await listStockOutlook(ctx.db, { sku: 'out-a' }, { limit: 50, cursor: null }, NOW);
    expect(page.nextCursor).toBeNull();
    const [v] = page.items;
    expect(v).toMatchObject({ sku: 'OUT-A', variant_id: 'v-OUT-A', quantity_now: 125 });
    expect(v!.locations).toEqual([
      {
        location_id: 'loc-east-wh',
        location_name: 'Newark warehouse',
        on_hand: 30,
        reserved: 5,
        available: 25,
        safety_stock: 0,
        daily_velocity: 10,
        days_of_cover: 2.5,
        projected_stockout_at: '2025-05-24T00:00:00.000Z',
        forecast_days: 20,
      },
      {
        location_id: 'loc-west-wh',
        location_name: 'Ontario warehouse',
        on_hand: 100,
        reserved: 0,
        available: 100,
        safety_stock: 0,
        daily_velocity: 0,
        days_of_cover: null,
        projected_stockout_at: null,
        forecast_days: 0,
      },
    ]);
  });

  it('tells per channel whether it holds what we would push now, lags behind, or fails', async () => {
    const [v] = (await listStockOutlook(ctx.db, { sku: 'OUT-A' }, { limit: 50, cursor: null }, NOW)).items;
    expect(v!.channels.map((c) => [c.channel, c.state, c.pushed_quantity, c.quantity_now, c.error])).toEqual([
      ['etsy', 'failing', 120, 125, 'HTTP 503 from etsy'],
      ['shopify', 'in_sync', 125, 125, null],
      ['woocommerce', 'behind', 130, 125, null],
    ]);
    expect(v!.channels[0]).toMatchObject({ failed_attempts: 3, failing_since: '2025-05-21T09:05:00.000Z', last_pushed_at: '2025-05-20T08:00:00.000Z' });
    expect(v!.channels[2]!.pending_since).toBe('2025-05-21T10:30:00.000Z');
    expect(v!.channels[1]!.pending_since).toBeNull();
  });

  it('GET /api/stock-outlook filters by SKU and location and pages by SKU', async () => {
    const one = await app.inject({ method: 'GET', url: '/api/stock-outlook?sku=out-a' });
    expect(one.statusCode).toBe(200);
    expect(one.json().items.map((v: { sku: string }) => v.sku)).toEqual(['OUT-A']);
    expect(one.json().items[0].locations[0]).toMatchObject({ location_id: 'loc-east-wh', available: 25, days_of_cover: 2.5 });

    const west = (await app.inject({ method: 'GET', url: '/api/stock-outlook?location=loc-west-wh' })).json();
    expect(west.items.map((v: { sku: string }) => v.sku)).toEqual(['OUT-A']);
    expect(west.items[0].locations.map((l: { location_id: string }) => l.location_id)).toEqual(['loc-west-wh']);

    const first = (await app.inject({ method: 'GET', url: '/api/stock-outlook?limit=1' })).json();
    expect(first.items.map((v: { sku: string }) => v.sku)).toEqual(['OUT-A']);
    const second = (await app.inject({ method: 'GET', url: `/api/stock-outlook?limit=1&cursor=${encodeURIComponent(first.next_cursor)}` })).json();
    expect(second.items.map((v: { sku: string }) => v.sku)).toEqual(['OUT-B']);
    expect(second.next_cursor).toBeNull();
  });

  it('answers 404 for an unknown SKU and 400 naming a bad parameter', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/stock-outlook?sku=NO-SUCH' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('sku_not_found');
    const bad = await app.inject({ method: 'GET', url: '/api/stock-outlook?limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['limit']);
    const empty = await app.inject({ method: 'GET', url: '/api/stock-outlook?sku=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issues[0].path).toBe('sku');
  });
});
