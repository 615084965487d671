import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installRouteAuth } from './route-auth.js';

const TOKEN = 'route-auth-unit-token-0123';

/** The guard must not depend on how lenient the router is; these are the loosest settings it has. */
const ROUTERS: [string, FastifyServerOptions, string[]][] = [
  ['default routing', {}, ['/%61pi/orders/1', 'http://h/api/orders/1']],
  ['lenient routing', { useSemicolonDelimiter: true, routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } }, ['/API/orders/1', '//api//orders/1', '/api/orders/1/', '/api/orders/1;x=1']],
];

describe('installRouteAuth', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  for (const [name, options, routed] of ROUTERS) {
    it(`with ${name}, every spelling of a guarded route is 401 and the public route stays open`, async () => {
      app = Fastify(options);
      let ran = 0;
      installRouteAuth(app, { fullToken: TOKEN, channelTokens: [] });
      await app.register(
        async (scope) => {
          // A plugin's own hook runs after the guard, so nothing a plugin does sees an unauthenticated request.
          scope.addHook('onRequest', async () => void (ran += 1));
          scope.get('/orders/:id', async () => ({ secret: true }));
          scope.get('/healthz', async () => ({ ok: true }));
        },
        { prefix: '/api' },
      );
      app.get('/healthz', async () => ({ ok: true }));
      await app.ready();

      for (const url of ['/api/orders/1', '/%61pi/orders/1', '/API/orders/1', '//api//orders/1', '/api/orders/1/', '/api;x=1/orders/1', '/api/orders/1;x=1', 'http://h/api/orders/1']) {
        const res = await app.inject({ method: 'GET', url });
        expect([401, 404], url).toContain(res.statusCode);
        expect(res.body).not.toContain('secret');
      }
      expect(ran).toBe(0);
      // These spellings do reach the route under this router, so the 401s above were the guard's.
      for (const url of ['/api/orders/1', ...routed]) {
        expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, url).toBe(200);
      }
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      // Public means this pattern: the same last segment under another prefix is not public.
      expect((await app.inject({ method: 'GET', url: '/api/healthz' })).statusCode).toBe(401);
    });
  }

  it('accepts the Bearer scheme in any case, and nothing else', async () => {
    app = Fastify();
    installRouteAuth(app, { fullToken: TOKEN, channelTokens: [] });
    app.get('/x', async () => 'ok');
    for (const [authorization, status] of [[`Bearer ${TOKEN}`, 200], [`bearer ${TOKEN}`, 200], [TOKEN, 401], [`Basic ${TOKEN}`, 401], [`Bearer ${TOKEN} extra`, 401], [`Bearer ${TOKEN.slice(0, -1)}`, 401]] as const) {
      expect((await app.inject({ method: 'GET', url: '/x', headers: { authorization } })).statusCode, authorization).toBe(status);
    }
  });

  it('leaves the API open when no token is configured', async () => {
    app = Fastify();
    installRouteAuth(app, { channelTokens: [] });
    app.get('/x', async (request) => ({ caller: request.apiCaller }));
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caller: null });
  });
});
