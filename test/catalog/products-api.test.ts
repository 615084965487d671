import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { describeEachDb } from '../support/test-db.js';

const TOKEN = 'products-api-full-token-0123456789';

const product = (over: Record<string, unknown> = {}) => ({
  handle: 'api-mug',
  name: 'API Mug',
  vendor: 'Acme',
  variants: [
    { sku: 'API-MUG-W', options: { Color: 'White' }, price: 12, weight_grams: 350, channel: { channel: 'shopify', external_variant_id: '55501' } },
    { sku: 'API-MUG-B', options: { Color: 'Black' }, price: 12 },
  ],
  ...over,
});

describeEachDb('POST /api/products', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({
      db: ctx.db,
      config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', API_TOKEN: TOKEN, API_TOKENS: 'pos:pos-channel-token-0123456789' }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (payload: unknown, token = TOKEN) =>
    app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(payload),
    });
  const catalogRows = async () =>
    (await ctx.db.query<{ n: number }>(`SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM variants) + (SELECT count(*) FROM outbox) AS n`)).rows[0]!.n;

  it('needs a token, and the full one', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/api/products', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(product()) });
    expect(anonymous.statusCode).toBe(401);
    const channel = await post(product(), 'pos-channel-token-0123456789');
    expect(channel.statusCode).toBe(403);
  });

  it('creates a product (201), and the same product again changes nothing (200)', async () => {
    const first = await post(product());
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ products_created: 1, variants_created: 2, channel_variants_written: 1 });
    const before = await catalogRows();
    const again = await post(product());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ products_created: 0, products_updated: 0, variants_created: 0, variants_updated: 0, channel_variants_written: 0 });
    expect(await catalogRows()).toBe(before);

    const lookup = await app.inject({ method: 'GET', url: '/api/products/API-MUG-W', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(lookup.json()).toMatchObject({
      product: { handle: 'api-mug', name: 'API Mug', vendor: 'Acme' },
      variant: { sku: 'API-MUG-W', price: 12, weight_grams: 350, options: { Color: 'White' } },
      channel_variants: [{ channel: 'shopify', external_variant_id: '55501' }],
    });
    expect((await app.inject({ method: 'GET', url: '/api/products/NOPE', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
  });

  it('takes a batch as { products: [...] }', async () => {
    const res = await post({ products: [product({ name: 'API Mug 2' }), product({ handle: 'api-cap', name: 'Cap', variants: [{ sku: 'API-CAP', price: 9 }] })] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ products_created: 1, products_updated: 1 });
  });

  it('refuses bad input with 400 naming the field, and writes nothing of the batch', async () => {
    const before = await catalogRows();
    const res = await post({ products: [product({ handle: 'api-new' , variants: [{ sku: 'API-NEW', price: 1 }] }), product({ handle: 'Bad Handle', variants: [{ sku: 'X', price: -1 }] })] });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([
      { path: 'products.1.handle', message: 'must be lowercase letters, digits and dashes' },
      { path: 'products.1.variants.0.price', message: 'must not be negative' },
    ]);
    const single = await post({ name: 'No handle', variants: [] });
    expect(single.statusCode).toBe(400);
    expect(single.json().issues.map((i: { path: string }) => i.path)).toEqual(['handle', 'variants']);
    expect(await catalogRows()).toBe(before);
  });
});
