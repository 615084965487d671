import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { API_OPERATIONS } from '../../src/server/api-operations.js';
import { buildServer } from '../../src/server/build-server.js';
import { useTestDb } from '../support/test-db.js';

const token = 'openapi-test-token-0123456789';

describe('the OpenAPI document', () => {
  const holder = useTestDb();
  let app: FastifyInstance;
  const routes: string[] = [];

  beforeAll(async () => {
    app = buildServer({ db: holder.db, config: { ...loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), API_TOKEN: token } });
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) routes.push(`${m} ${r.url}`);
    });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does refuse a document that is not one.
    expect((await new Validator().validate({ openapi: '3.1.0', paths: { '/x': { get: { responses: 'none' } } } } as never)).valid).toBe(false);
  });

  it('describes every list endpoint, the decision and orders create/show, each a route the server really has', async () => {
    const doc = (await get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const expected of [
      'GET /api/orders',
      'POST /api/orders',
      'GET /api/orders/{id}',
      'GET /api/approvals',
      'POST /api/approvals/{id}/decision',
      'GET /api/flags',
      'GET /api/products',
      'GET /api/inventory',
      'GET /api/jobs/failed',
      'GET /api/inbox',
    ]) {
      expect(documented).toContain(expected);
    }
    for (const op of API_OPERATIONS) expect(routes).toContain(`${op.method} ${op.path}`);
    // Every list takes the same paging parameters.
    for (const path of ['/api/orders', '/api/approvals', '/api/flags', '/api/products', '/api/inventory', '/api/jobs/failed', '/api/inbox']) {
      expect(doc.paths[path]!.get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
  });

  it('renders a reference page with every path, its parameters and no scripts', async () => {
    const res = await get('/api/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).not.toMatch(/https?:\/\/(?!json-schema)/);
    for (const text of ['/api/orders/{id}', '/api/approvals/{id}/decision', 'next_cursor', '<code>limit</code>', '<code>q</code>']) expect(res.body).toContain(text);
  });

  it('is behind API_TOKEN like the dashboard', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(401);
  });
});
