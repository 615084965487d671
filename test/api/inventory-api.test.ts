import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

describeEachDb('inventory and locations API', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-inv-api', [{ sku: 'INV-API', price: '9.00', stock: { 'loc-east-wh': 10 } }]);
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' } as NodeJS.ProcessEnv) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const send = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) }),
    });
  const onHand = async () => (await send('GET', '/api/inventory/INV-API')).json().inventory.locations.map((l: { location_id: string; on_hand: number }) => [l.location_id, l.on_hand]);

  it('PUT /api/locations/:id creates a location with coordinates from its ZIP, then updates it; GET lists it', async () => {
    const body = {
      name: 'Dallas DC',
      kind: 'warehouse',
      region: 'us-central',
      country: 'USA',
      address1: '1 Commerce St',
      city: 'Dallas',
      state: 'TX',
      zip: '75201',
      cutoffTime: '15:30',
      timeZone: 'America/Chicago',
      handlingDays: 1,
      priority: 20,
    };
    const created = await send('PUT', '/api/locations/loc-dallas', body);
    expect(created.statusCode).toBe(201);
    const loc = created.json().location;
    expect(loc).toMatchObject({ id: 'loc-dallas', zip: '75201', cutoffTime: '15:30', timeZone: 'America/Chicago' });
    expect(loc.latitude).toBeCloseTo(32.79, 1);
    expect(loc.longitude).toBeCloseTo(-96.8, 1);
    const updated = await send('PUT', '/api/locations/loc-dallas', { ...body, priority: 5, latitude: 32.5, longitude: -96.5 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().location).toMatchObject({ priority: 5, latitude: 32.5, longitude: -96.5 });
    const list = await send('GET', '/api/locations');
    expect(list.json().locations.map((l: { id: string }) => l.id)).toContain('loc-dallas');
  });

  it('PUT /api/locations/:id answers 400 naming the bad field and writes nothing', async () => {
    const res = await send('PUT', '/api/locations/loc-bad', { name: 'X', kind: 'warehouse', region: 'r', country: 'USA', cutoffTime: '25:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: 'cutoffTime', message: 'must be HH:MM (24-hour)' }]);
    const zone = await send('PUT', '/api/locations/loc-bad', { name: 'X', kind: 'warehouse', region: 'r', country: 'USA', timeZone: 'Mars/Base' });
    expect(zone.json().issues[0].path).toBe('timeZone');
    const half = await send('PUT', '/api/locations/loc-bad', { name: 'X', kind: 'warehouse', region: 'r', country: 'USA', latitude: 40 });
    expect(half.json().issues).toEqual([{ path: 'latitude', message: 'give both latitude and longitude, or neither' }]);
    const badId = await send('PUT', '/api/locations/Bad%20Id', { name: 'X', kind: 'warehouse', region: 'r', country: 'USA' });
    expect(badId.json().issues[0].path).toBe('id');
    const list = await send('GET', '/api/locations');
    expect(list.json().locations.map((l: { id: string }) => l.id)).not.toContain('loc-bad');
  });

  it('places a location outside the US at its country centroid when no coordinates are given', async () => {
    const res = await send('PUT', '/api/locations/loc-toronto', {
      name: 'Toronto DC', kind: '3pl', region: 'ca', country: 'Canada', city: 'Toronto', zip: 'M5V 2T6', timeZone: 'America/Toronto',
    });
    expect(res.statusCode).toBe(201);
    const loc = res.json().location;
    expect(loc.latitude).toBeGreaterThan(40);
    expect(loc.longitude).toBeLessThan(-50);
  });

  it('receives, counts, adjusts and transfers stock through the ledger', async () => {
    const receipt = await send('POST', '/api/inventory/receipts', { sku: 'INV-API', location_id: 'loc-east-wh', quantity: 5, reference: 'PO-1' });
    expect(receipt.statusCode).toBe(201);
    expect(receipt.json().receipt).toMatchObject({ on_hand_before: 10, on_hand_after: 15 });
    const count = await send('POST', '/api/inventory/counts', { sku: 'INV-API', location_id: 'loc-east-wh', counted: 14, reason: 'cycle count' });
    expect(count.json().count).toMatchObject({ difference: -1 });
    const adjustment = await send('POST', '/api/inventory/adjustments', { sku: 'INV-API', location_id: 'loc-east-wh', quantity: -2, reason: 'damaged' });
    expect(adjustment.json().adjustment).toMatchObject({ on_hand_after: 12 });
    const transfer = await send('POST', '/api/inventory/transfers', { sku: 'INV-API', from_location_id: 'loc-east-wh', to_location_id: 'loc-west-wh', quantity: 4 });
    expect(transfer.statusCode).toBe(201);
    const id = transfer.json().transfer.id;
    expect(await onHand()).toEqual([['loc-east-wh', 8]]);
    const received = await send('POST', `/api/inventory/transfers/${id}/receive`);
    expect(received.json().transfer.status).toBe('received');
    expect(await onHand()).toEqual([['loc-east-wh', 8], ['loc-west-wh', 4]]);
    const twice = await send('POST', `/api/inventory/transfers/${id}/receive`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('transfer_not_in_transit');
    const back = await send('POST', '/api/inventory/transfers', { sku: 'INV-API', from_location_id: 'loc-west-wh', to_location_id: 'loc-east-wh', quantity: 1 });
    const cancelled = await send('POST', `/api/inventory/transfers/${back.json().transfer.id}/cancel`, { reason: 'wrong truck' });
    expect(cancelled.json().transfer.status).toBe('cancelled');
    expect(await onHand()).toEqual([['loc-east-wh', 8], ['loc-west-wh', 4]]);
  });

  it('answers 400 naming the field for bad inventory input, 404 for an unknown SKU, 409 when stock is short', async () => {
    const noReason = await send('POST', '/api/inventory/adjustments', { sku: 'INV-API', location_id: 'loc-east-wh', quantity: 1 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues.map((i: { path: string }) => i.path)).toEqual(['reason']);
    const badQty = await send('POST', '/api/inventory/receipts', { sku: 'INV-API', location_id: 'loc-east-wh', quantity: 0 });
    expect(badQty.json().issues.map((i: { path: string }) => i.path)).toEqual(['quantity']);
    const badId = await send('POST', '/api/inventory/transfers/abc/receive');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().issues[0].path).toBe('params.id');
    const unknown = await send('POST', '/api/inventory/receipts', { sku: 'NOPE', location_id: 'loc-east-wh', quantity: 1 });
    expect(unknown.statusCode).toBe(404);
    const short = await send('POST', '/api/inventory/transfers', { sku: 'INV-API', from_location_id: 'loc-east-wh', to_location_id: 'loc-west-wh', quantity: 99 });
    expect(short.statusCode).toBe(409);
    expect(short.json().code).toBe('negative_stock');
  });

  it('PUT /api/variants/:sku/stock-policy sets safety stock and the backorder policy', async () => {
    const res = await send('PUT', '/api/variants/INV-API/stock-policy', { safety_stock: 2, backorder_policy: 'allow' });
    expect(res.json().policy).toEqual({ sku: 'INV-API', safety_stock: 2, backorder_policy: 'allow' });
    const empty = await send('PUT', '/api/variants/INV-API/stock-policy', {});
    expect(empty.statusCode).toBe(400);
    const bad = await send('PUT', '/api/variants/INV-API/stock-policy', { backorder_policy: 'maybe' });
    expect(bad.json().issues[0].path).toBe('backorder_policy');
  });

  it('GET /api/inventory/:sku/sync shows each channel that sells the SKU, and 404s an unknown SKU', async () => {
    await seedTestCatalog(ctx.db, 'p-inv-sync', [{ sku: 'INV-SYNC', price: '9.00', stock: { 'loc-east-wh': 7 } }]);
    await ctx.db.query(`INSERT INTO channel_variants (channel, external_variant_id, variant_id) VALUES ('shopify', 'gid-1', 'v-INV-SYNC')`);
    const res = await send('GET', '/api/inventory/INV-SYNC/sync');
    expect(res.statusCode).toBe(200);
    expect(res.json().sync).toMatchObject({
      sku: 'INV-SYNC',
      quantity_now: 7,
      channels: [{ channel: 'shopify', external_variant_ids: ['gid-1'], pushed_quantity: null, pending: false, in_sync: false }],
    });
    expect((await send('GET', '/api/inventory/NO-SUCH-SKU/sync')).statusCode).toBe(404);
  });
});
