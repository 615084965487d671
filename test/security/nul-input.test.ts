import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/server/build-server.js';
import { countLedgerRows } from '../support/count-ledger-rows.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const NUL = '\u0000';
const order = (externalId: string) => ({
  channel: 'shopify',
  external_id: externalId,
  customer: { email: 'nul.tester@example.com', first_name: 'Nul', last_name: 'Tester' },
  shipping_address: { address1: '1 Zero St', city: 'Reno', state: 'NV', country: 'USA', zip: '89501' },
  lines: [{ sku: 'NUL-TEE', quantity: 1 }, { sku: 'NUL-TEE', quantity: 2 }],
  payment: { method: 'card' },
  client: { user_agent: 'Mozilla/5.0', device_id: 'dev-1' },
});

interface ErrorAnswer {
  error: string;
  code: string;
  issues: { path: string; message: string }[];
}

describeEachDb('NUL characters in REST input', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-nul', [{ sku: 'NUL-TEE', price: '5.00', stock: { 'loc-west-wh': 100 } }]);
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (payload: unknown, url = '/api/orders', headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });

  const cases: [string, (o: ReturnType<typeof order>) => unknown, string[]][] = [
    ['a top-level field', (o) => ({ ...o, external_id: `nul${NUL}1` }), ['external_id']],
    ['a nested object field', (o) => ({ ...o, customer: { ...o.customer, first_name: `N${NUL}ul` } }), ['customer.first_name']],
    ['a field inside an array', (o) => ({ ...o, lines: [o.lines[0], { sku: `NUL-TEE${NUL}`, quantity: 1 }] }), ['lines.1.sku']],
    [
      'several fields at once',
      (o) => ({ ...o, shipping_address: { ...o.shipping_address, address1: NUL }, lines: [{ sku: `${NUL}x`, quantity: 1 }], client: { user_agent: `a${NUL}` } }),
      ['shipping_address.address1', 'lines.0.sku', 'client.user_agent'],
    ],
    ['a field the schema does not know', (o) => ({ ...o, note: `hi${NUL}` }), ['note']],
    ['a field name', (o) => ({ ...o, [`evil${NUL}key`]: 'x' }), ['evil\\u0000key']],
  ];

  for (const [name, mutate, paths] of cases) {
    it(`a NUL in ${name} is a 400 naming ${paths.join(', ')}, and nothing is written`, async () => {
      const before = await countLedgerRows(ctx.db);
      for (const headers of [{}, { 'idempotency-key': `nul-${name}` }] as Record<string, string>[]) {
        const res = await post(mutate(order(`nul-${name}`)), '/api/orders', headers);
        expect(res.statusCode).toBe(400);
        const body = res.json<ErrorAnswer>();
        expect(body.code).toBe('nul_character');
        expect(body.issues.map((i) => i.path)).toEqual(paths);
        for (const path of paths) expect(body.error).toContain(path);
      }
      expect(await countLedgerRows(ctx.db)).toEqual(before);
    });
  }

  it('a NUL in a query string or a route parameter is a 400 naming it', async () => {
    const cases: [string, string][] = [
      ['/api/orders/W1%00', 'params.id'],
      ['/api/customers/a%00b', 'params.id'],
      ['/api/inventory/NUL-TEE%00', 'params.sku'],
      ['/api/dashboard?since=%00', 'query.since'],
      ['/healthz?x=a%00', 'query.x'],
    ];
    for (const [url, path] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<ErrorAnswer>().issues.map((i) => i.path)).toEqual([path]);
    }
    const before = await countLedgerRows(ctx.db);
    const res = await post(order('nul-query'), '/api/orders?source=%00');
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorAnswer>().issues.map((i) => i.path)).toEqual(['query.source']);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('a body nested far deeper than any order is checked without a crash', async () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}"x\\u0000"${']'.repeat(depth)}`;
    const payload = JSON.stringify({ ...order('nul-deep'), deep: 'DEEP' }).replace('"DEEP"', deep);
    const res = await app.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorAnswer>().issues[0]!.path).toMatch(/^deep(\.0)+$/);
  });

  it('a deep body without a NUL is refused as too deep, with an Idempotency-Key too, and writes nothing', async () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
    const payload = JSON.stringify({ ...order('deep-idem'), deep: 'DEEP' }).replace('"DEEP"', deep);
    const before = await countLedgerRows(ctx.db);
    const res = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-body-1' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorAnswer>().code).toBe('too_deep');
    expect(res.json<ErrorAnswer>().issues[0]!.path).toMatch(/^deep(\.0)+$/);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('the same order without the NUL is created', async () => {
    const res = await post(order('nul-clean'));
    expect(res.statusCode).toBe(201);
  });
});
