import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { countLedgerRows } from '../support/count-ledger-rows.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const validOrder = (externalId: string) => ({
  channel: 'shopify',
  external_id: externalId,
  customer: { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper' },
  shipping_address: { address1: '9 Pier Rd', city: 'Seattle', state: 'WA', country: 'USA', zip: '98101' },
  lines: [{ sku: 'API-TEE', quantity: 1 }],
  payment: { method: 'card' },
  client: { browser_ip: '198.51.100.7', user_agent: 'Mozilla/5.0', device_id: 'dev-9' },
});

describeEachDb('HTTP API', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-api', [
      { sku: 'API-TEE', price: '25.00', stock: { 'loc-west-wh': 10, 'loc-east-wh': 3 } },
      { sku: 'API-RARE', price: '5.00', stock: { 'loc-east-wh': 1 } },
    ]);
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('GET /healthz reports the database kind and order count', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: ctx.db.kind, orders: 0 });
  });

  it('POST /api/orders creates (201) and a repeat of the external id replays (200, created: false)', async () => {
    const first = await post(validOrder('api-1'));
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body.created).toBe(true);
    expect(body.order).toMatchObject({ status: 'pending', channel: 'shopify', external_id: 'api-1', total: 25 });
    expect(body.order.lines[0]).toMatchObject({ quantity: 1, price: 25, location_id: 'loc-west-wh' });

    const before = await countLedgerRows(ctx.db);
    const again = await post(validOrder('api-1'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, order: { id: body.order.id } });
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  const badInputs: [string, unknown, string[]][] = [
    ['invalid JSON', '{"channel": "shopify",', ['(body)']],
    ['a JSON array', [], ['(body)']],
    ['an empty object', {}, ['channel', 'external_id', 'customer', 'lines', 'payment', 'shipping_address']],
    [
      'bad fields everywhere',
      {
        ...validOrder('bad-1'),
        channel: 'Shop Ify',
        placed_at: 'last tuesday',
        currency: 'usd',
        customer: { email: 'not-an-email', first_name: '', last_name: 'X' },
        shipping_address: { address1: '1 A St', city: 'B', state: 'NY', country: 'USA' },
        lines: [{ sku: 'API-TEE', quantity: 0 }, { sku: 'API-TEE', quantity: 1.5, unit_price: -1 }],
        payment: { method: 'cash' },
        client: { browser_ip: '999.1.1.1' },
      },
      [
        'channel',
        'placed_at',
        'currency',
        'customer.email',
        'customer.first_name',
        'shipping_address.zip',
        'lines.0.quantity',
        'lines.1.quantity',
        'lines.1.unit_price',
        'payment.method',
        'client.browser_ip',
      ],
    ],
    ['no lines', { ...validOrder('bad-2'), lines: [] }, ['lines']],
    ['lines not an array', { ...validOrder('bad-3'), lines: 'API-TEE' }, ['lines']],
    ['quantity as a string', { ...validOrder('bad-4'), lines: [{ sku: 'API-TEE', quantity: '2' }] }, ['lines.0.quantity']],
  ];

  for (const [name, payload, paths] of badInputs) {
    it(`rejects ${name} with 400 naming every bad field, writing nothing`, async () => {
      const before = await countLedgerRows(ctx.db);
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: string; issues: { path: string; message: string }[] };
      expect(body.error).toEqual(expect.any(String));
      expect(body.issues.map((i) => i.path)).toEqual(paths);
      for (const issue of body.issues) expect(issue.message.length).toBeGreaterThan(0);
      expect(await countLedgerRows(ctx.db)).toEqual(before);
    });
  }

  it('refuses an unknown SKU with 422 and no stock with 409, writing nothing', async () => {
    const before = await countLedgerRows(ctx.db);
    const unknown = await post({ ...validOrder('ref-1'), lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown_sku', issues: [{ path: 'lines.0.sku', message: 'unknown SKU NOPE' }] });

    const short = await post({ ...validOrder('ref-2'), lines: [{ sku: 'API-RARE', quantity: 2 }] });
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({
      code: 'insufficient_stock',
      error: 'Not enough stock available for API-RARE (wanted 2, available 1)',
    });
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('Idempotency-Key replays the first response and refuses the key with another body (422)', async () => {
    const first = await post(validOrder('idem-1'), { 'idempotency-key': 'key-1' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');

    const before = await countLedgerRows(ctx.db);
    const retry = await post(validOrder('idem-1'), { 'idempotency-key': 'key-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());

    const reused = await post(validOrder('idem-2'), { 'idempotency-key': 'key-1' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('concurrent requests with one Idempotency-Key create one order and all get its response', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(validOrder('idem-4'), { 'idempotency-key': 'key-4' })));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    for (const r of responses) expect(r.json()).toEqual(responses[0]!.json());
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    const rows = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE external_id = 'idem-4'`);
    expect(rows.rows[0]!.n).toBe(1);
  });

  it('a failed request under an Idempotency-Key stores nothing, so the retry can succeed', async () => {
    const before = await countLedgerRows(ctx.db);
    const failed = await post({ ...validOrder('idem-3'), lines: [{ sku: 'API-RARE', quantity: 2 }] }, { 'idempotency-key': 'key-3' });
    expect(failed.statusCode).toBe(409);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('GET /api/orders/:id accepts W1234567 and %23W1234567, and 404s an unknown id', async () => {
    const created = (await post(validOrder('get-1'))).json() as { order: { id: string } };
    const bare = created.order.id.slice(1);
    for (const url of [`/api/orders/${bare}`, `/api/orders/%23${bare}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json().order.id).toBe(created.order.id);
    }
    const missing = await app.inject({ method: 'GET', url: '/api/orders/W0000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'order_not_found', error: 'order #W0000000 not found' });
  });

  it('GET /api/customers/:id and /api/inventory/:sku read back what the orders did', async () => {
    const created = (await post(validOrder('get-2'))).json() as { order: { id: string; customer_id: string } };
    const customer = await app.inject({ method: 'GET', url: `/api/customers/${created.order.customer_id}` });
    expect(customer.statusCode).toBe(200);
    expect(customer.json().customer).toMatchObject({ email: 'grace.hopper@example.com' });
    expect(customer.json().customer.orders).toContain(created.order.id);

    const inventory = await app.inject({ method: 'GET', url: '/api/inventory/API-TEE' });
    expect(inventory.statusCode).toBe(200);
    const inv = inventory.json().inventory as { totals: { on_hand: number; reserved: number; available: number } };
    const reserved = await ctx.db.query<{ n: number }>(
      `SELECT coalesce(sum(quantity), 0)::int AS n FROM reservations WHERE variant_id = 'v-API-TEE' AND status = 'active'`,
    );
    expect(inv.totals).toEqual({ on_hand: 13, reserved: reserved.rows[0]!.n, available: 13 - reserved.rows[0]!.n });

    expect((await app.inject({ method: 'GET', url: '/api/customers/nobody_0000' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/inventory/NOPE' })).statusCode).toBe(404);
  });
});

describeEachDb('HTTP API with API_TOKEN', (ctx) => {
  let app: FastifyInstance;
  const token = 'a-long-enough-test-token';
  beforeAll(async () => {
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', API_TOKEN: token }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses /api/* without the bearer token, before reading or writing anything', async () => {
    const before = await countLedgerRows(ctx.db);
    for (const headers of [{}, { authorization: 'Bearer wrong-token-of-some-len' }, { authorization: token }]) {
      const post = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: validOrder('auth-1') });
      expect(post.statusCode).toBe(401);
      const get = await app.inject({ method: 'GET', url: '/api/customers/anyone', headers });
      expect(get.statusCode).toBe(401);
    }
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('serves /api/* with the token and leaves /healthz open', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/orders/W0000000', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
