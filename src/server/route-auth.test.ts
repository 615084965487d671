import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../security/session-store.js';
import { installRouteAuth, type PeopleAuth } from './route-auth.js';

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

  it('lets METRICS_TOKEN read /metrics and nothing else, and leaves an open API open', async () => {
    const METRICS = 'route-auth-metrics-token-0123';
    for (const fullToken of [TOKEN, undefined]) {
      app = Fastify();
      installRouteAuth(app, { fullToken, channelTokens: [], metricsToken: METRICS });
      app.get('/metrics', async (request) => ({ caller: request.apiCaller?.kind ?? null }));
      app.get('/api/orders', async (request) => ({ caller: request.apiCaller?.kind ?? null }));
      await app.ready();
      const get = (url: string, token?: string) => app!.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect((await get('/metrics', METRICS)).json()).toEqual({ caller: 'metrics' });
      expect((await get('/%6detrics', METRICS)).json()).toEqual({ caller: 'metrics' });
      expect((await get('/api/orders', METRICS)).statusCode).toBe(403);
      expect((await get('/metrics', 'some-other-token-0123456789')).statusCode).toBe(401);
      // Alone it closes nothing: without API_TOKEN the API stays as open as it was.
      expect((await get('/api/orders')).statusCode, `API_TOKEN ${fullToken ? 'set' : 'unset'}`).toBe(fullToken ? 401 : 200);
      expect((await get('/metrics')).statusCode).toBe(fullToken ? 401 : 200);
      await app.close();
      app = undefined;
    }
  });

  describe('with people', () => {
    const SESSION = 'session-token-for-the-unit-test-0123';
    const operator: SessionUser = { sessionId: 's1', userId: 'usr_1', email: 'op@example.com', name: null, role: 'operator', csrfToken: 'csrf-1', expiresAt: '2030-01-01T00:00:00.000Z' };
    const people = (anyUsers: boolean): PeopleAuth => ({ lookup: async (t) => (t === SESSION ? operator : undefined), anyUsers: async () => anyUsers });
    const cookie = `orderops_session=${SESSION}`;
    const mount = async (auth: PeopleAuth, fullToken?: string) => {
      app = Fastify();
      installRouteAuth(app, { fullToken, channelTokens: [] }, auth);
      app.get('/api/orders', async (request) => ({ caller: request.apiCaller?.kind ?? null }));
      app.post('/api/orders', async () => ({ created: true }));
      app.post('/api/approvals/:id/decision', async () => ({ decided: true }));
      app.post('/api/not-in-the-policy', async () => ({ ran: true }));
      await app.ready();
      return app;
    };

    it('lets a session do what its role allows on the matched route, with its CSRF token on changes', async () => {
      const a = await mount(people(true), TOKEN);
      const send = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) => a.inject({ method, url, headers: { cookie, ...headers } });
      expect((await send('GET', '/api/orders')).json()).toEqual({ caller: 'user' });
      expect((await send('GET', '/%61pi/orders')).json()).toEqual({ caller: 'user' });
      expect((await send('POST', '/api/orders', { 'x-csrf-token': 'csrf-1' })).statusCode).toBe(200);
      expect((await send('POST', '/api/orders')).statusCode).toBe(403);
      expect((await send('POST', '/api/orders', { 'x-csrf-token': 'csrf-2' })).statusCode).toBe(403);
      // An operator does not decide approvals; a route the policy does not list is closed to every session.
      expect((await send('POST', '/api/approvals/a1/decision', { 'x-csrf-token': 'csrf-1' })).json()).toMatchObject({ code: 'forbidden_role' });
      expect((await send('POST', '/api/not-in-the-policy', { 'x-csrf-token': 'csrf-1' })).statusCode).toBe(403);
      // The token still reaches it, and needs no CSRF token.
      expect((await a.inject({ method: 'POST', url: '/api/not-in-the-policy', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
      expect((await a.inject({ method: 'GET', url: '/api/orders', headers: { cookie: 'orderops_session=unknown-token-0123456789' } })).statusCode).toBe(401);
    });

    it('without tokens, stays open until an account exists', async () => {
      expect((await (await mount(people(false))).inject({ method: 'POST', url: '/api/not-in-the-policy' })).statusCode).toBe(200);
      await app!.close();
      expect((await (await mount(people(true))).inject({ method: 'GET', url: '/api/orders' })).statusCode).toBe(401);
    });
  });
});
