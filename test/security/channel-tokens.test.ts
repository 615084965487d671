import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { startApp } from '../../src/server/start-app.js';
import { countLedgerRows } from '../support/count-ledger-rows.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const FULL = 'full-access-token-0123456789';
const SHOPIFY = 'shopify-channel-token-0123456789';
const POS = 'pos-channel-token-0123456789ab';

let seq = 0;
const order = (channel: string) => ({
  channel,
  external_id: `ct-${++seq}`,
  customer: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
  shipping_address: { address1: '12 Analytical St', city: 'Boston', state: 'MA', country: 'USA', zip: '02108' },
  lines: [{ sku: 'CT-TEE', quantity: 1 }],
  payment: { method: 'card' },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachDb('per-channel API tokens', (ctx) => {
  let app: FastifyInstance;
  let channelOnly: FastifyInstance;
  let customerId: string;
  let orderId: string;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-ct', [{ sku: 'CT-TEE', price: '9.00', stock: { 'loc-west-wh': 500 } }]);
    const base = { LOG_LEVEL: 'silent', NODE_ENV: 'test', API_TOKENS: `shopify:${SHOPIFY}, pos:${POS}` } as const;
    app = buildServer({ db: ctx.db, config: loadConfig({ ...base, API_TOKEN: FULL }) });
    channelOnly = buildServer({ db: ctx.db, config: loadConfig(base) });
    await Promise.all([app.ready(), channelOnly.ready()]);
    const created = await app.inject({ method: 'POST', url: '/api/orders', headers: bearer(FULL), payload: order('api') });
    expect(created.statusCode).toBe(201);
    ({ id: orderId, customer_id: customerId } = created.json().order as { id: string; customer_id: string });
  });
  afterAll(async () => {
    await app?.close();
    await channelOnly?.close();
  });

  const post = (server: FastifyInstance, url: string, token: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
    server.inject({ method: 'POST', url, headers: { ...(token ? bearer(token) : {}), ...headers }, payload: payload as object });

  it('a channel token creates orders of its own channel', async () => {
    for (const [token, channel] of [[SHOPIFY, 'shopify'], [POS, 'pos']] as const) {
      const res = await post(app, '/api/orders', token, order(channel));
      expect(res.statusCode).toBe(201);
      expect(res.json().order.channel).toBe(channel);
    }
  });

  it('a channel token writing another channel gets 403 naming both channels, and nothing is written', async () => {
    const before = await countLedgerRows(ctx.db);
    for (const url of ['/api/orders', '/%61pi/orders', '/api/%6frders']) {
      for (const headers of [{}, { 'idempotency-key': `ct-key-${url}` }] as Record<string, string>[]) {
        const res = await post(app, url, SHOPIFY, order('pos'), headers);
        expect(res.statusCode).toBe(403);
        const body = res.json() as { error: string; code: string };
        expect(body.code).toBe('channel_forbidden');
        expect(body.error).toContain('shopify');
        expect(body.error).toContain('pos');
        expect(body.error).not.toContain(SHOPIFY);
      }
    }
    // A channel written with spaces around it is the same channel after trimming, not a way around the check.
    expect((await post(app, '/api/orders', POS, { ...order(' shopify '), external_id: 'ct-trim' })).statusCode).toBe(403);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('a channel token may not read anything: customers, orders, inventory, dashboard answer 403', async () => {
    for (const url of [`/api/customers/${customerId}`, `/api/orders/${orderId.slice(1)}`, '/api/inventory/CT-TEE', '/api/dashboard', '/dashboard', '/%64ashboard', '/%61pi/customers/' + customerId]) {
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await app.inject({ method, url, headers: bearer(POS) });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.body).not.toContain('ada@example.com');
        if (method === 'GET') expect(res.json()).toMatchObject({ code: 'forbidden' });
      }
    }
  });

  it('API_TOKEN keeps full access: any channel, every read', async () => {
    expect((await post(app, '/api/orders', FULL, order('pos'))).statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: `/api/customers/${customerId}`, headers: bearer(FULL) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/dashboard', headers: bearer(FULL) })).statusCode).toBe(200);
  });

  it('an unknown token, a token without the Bearer scheme and no token are 401; /healthz stays open', async () => {
    for (const headers of [{}, bearer('not-a-configured-token-xx'), { authorization: SHOPIFY }, bearer(`${SHOPIFY}x`)]) {
      const res = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: order('shopify') });
      expect(res.statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz', headers: bearer(POS) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('with channel tokens but no API_TOKEN the API is not open: no token is 401, reads are 403', async () => {
    expect((await channelOnly.inject({ method: 'GET', url: '/api/dashboard' })).statusCode).toBe(401);
    expect((await channelOnly.inject({ method: 'GET', url: '/api/dashboard', headers: bearer(SHOPIFY) })).statusCode).toBe(403);
    expect((await post(channelOnly, '/api/orders', undefined, order('shopify'))).statusCode).toBe(401);
    expect((await post(channelOnly, '/api/orders', SHOPIFY, order('shopify'))).statusCode).toBe(201);
  });
});

describe('start-up with channel tokens', () => {
  it('refuses a non-loopback HOST when only API_TOKENS is set, saying API_TOKEN is needed for reads', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', HOST: '0.0.0.0', PORT: '0', API_TOKENS: `shopify:${SHOPIFY}` });
    await expect(startApp(config, { log: () => {} })).rejects.toThrow(/API_TOKEN must be set when HOST \(0\.0\.0\.0\).*API_TOKENS/);
  });
});
