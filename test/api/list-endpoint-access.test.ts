import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../../src/config/config.js';
import { systemActor, type Actor } from '../../src/domain/actor.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { transitionOrder } from '../../src/domain/orders/order-state-machine.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import { retryFailedJob } from '../../src/jobs/retry-failed-job.js';
import { ROLES, roleAllows, WRITE_ROUTE_CAPABILITIES, type Role } from '../../src/security/role-policy.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import type { RoutePlugin } from '../../src/server/route-plugin.js';
import { notificationRoutes } from '../../src/server/routes/notification-routes.js';
import { routingRoutes } from '../../src/server/routes/routing-routes.js';
import { shippingRoutes } from '../../src/server/routes/shipping-routes.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { LIST_ENDPOINTS, type ListEndpoint } from '../support/list-endpoints.js';
import { openCancelApproval } from '../support/pending-cancel-approval.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', PASSWORD_HASH_ROUNDS: '4' } as NodeJS.ProcessEnv);
const token = 'list-access-test-api-token-0123456789';
const PASSWORD = 'a long test password';
const cli: Actor = { kind: 'person', id: 'cli:test' };
const test = systemActor('test');

// Written only here: a write route nobody has decided about yet.
const UNLISTED_ROUTES: RoutePlugin = (app) => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    app.route({ method, url: '/api/test-only/unlisted', handler: async () => ({ ran: true }) });
  }
};

interface Session {
  cookie: string;
  csrf: string;
}
type Item = Record<string, unknown> & { id: string | number };
type ListBody = { items: Item[]; next_cursor: string | null };

describeEachDb('list endpoints and write routes by role', (ctx) => {
  let app: FastifyInstance;
  const registered = new Set<string>();
  const sessions = {} as Record<Role | 'disabled' | 'expired', Session>;

  const asToken = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const asCookie = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const list = async (url: string): Promise<ListBody> => {
    const res = await asToken(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<ListBody>();
  };
  /** Every page of `url` at `limit`, to the end, checking no page is too long and no key shows twice. */
  const walk = async (url: string, limit: number, key: (i: Item) => string = (i) => String(i.id)) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages, url).toBeLessThan(200);
      const body = await list(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items.map(key));
      cursor = body.next_cursor;
      if (!cursor) break;
      // A cursor is only handed out when a full page was shown.
      expect(body.items).toHaveLength(limit);
    }
    expect(new Set(seen).size, `${url}: a key shown twice`).toBe(seen.length);
    return seen;
  };
  /** The filtered list walked at 1 and 2 per page equals its one-page form, and every item passes `check`. */
  const expectFilter = async (url: string, check: (i: Item) => boolean, key?: (i: Item) => string) => {
    const all = (await list(`${url}&limit=200`)).items;
    expect(all.length, `${url} is empty`).toBeGreaterThan(0);
    for (const i of all) expect(check(i), `${url}: ${JSON.stringify(i)}`).toBe(true);
    const keys = all.map(key ?? ((i) => String(i.id)));
    for (const limit of [1, 2]) expect(await walk(url, limit, key)).toEqual(keys);
    return all;
  };
  const expectBadParam = async (url: string, path: string) => {
    const res = await asToken(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
    expect(res.json<{ issues: { path: string }[] }>().issues.map((i) => i.path), url).toContain(path);
  };
  const signIn = async (email: string): Promise<Session> => {
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json<{ csrf_token: string }>().csrf_token };
  };

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    await seedTestCatalog(ctx.db, 'p-access', [
      { sku: 'ACC-TEE-01', price: '12.00', stock: { 'loc-east-wh': 4, 'loc-west-wh': 2 } },
      { sku: 'ACC-MUG-02', price: '8.00', stock: { 'loc-east-wh': 1, 'loc-west-wh': 3 } },
    ]);
    for (const id of ['#W1000004', '#W1000008', '#W2000001']) await holdOrder(ctx.db, { orderId: id, reason: 'address check' }, test);
    await transitionOrder(ctx.db, '#W1000003', { to: 'exception', actor: systemActor('carrier'), reason: 'parcel damaged' });
    for (const [rule, category, subject] of [
      ['order_risk', 'risk', '#W1000004'],
      ['order_risk', 'risk', '#W1000006'],
      ['order_sla', 'operations', '#W2000001'],
      ['carrier_exception', 'operations', '#W1000003'],
      ['stockout_risk', 'stock', 'ACC-TEE-01@loc-west-wh'],
    ] as const) {
      await raiseFlag(ctx.db, {
        subjectType: category === 'stock' ? 'stock' : 'order', subjectId: subject, rule, category, severity: 'warning', score: 40, title: `${rule} ${subject}`, reasons: ['test'],
      }, test);
    }
    await ctx.db.query(`UPDATE anomaly_flags SET status = 'acknowledged' WHERE rule = 'carrier_exception'`);
    for (const [queue, n] of [['email-outbound', 1], ['email-outbound', 2], ['stock-push', 3], ['stock-push', 4]] as const) {
      await recordFailedJob(ctx.db, { queue, jobId: `job-${n}`, payload: { n }, error: `boom ${n}`, attempts: 3 });
    }
    const { rows } = await ctx.db.query<{ id: number }>(`SELECT id::int AS id FROM failed_jobs WHERE job_id = 'job-4'`);
    await retryFailedJob(ctx.db, rows[0]!.id, test);
    for (const id of ['#W1000001', '#W1000005', '#W4000001']) await openCancelApproval(ctx.db, config, id, { kind: 'person', id: 'alice.ng@example.com' });

    const users = createUserRepository(ctx.db, { hashRounds: 4 });
    for (const role of ROLES) await users.add({ email: `${role}@example.com`, role, password: PASSWORD }, cli);
    await users.add({ email: 'leaver@example.com', role: 'admin', password: PASSWORD }, cli);
    await users.add({ email: 'lapsed@example.com', role: 'admin', password: PASSWORD }, cli);

    app = buildServer({
      db: ctx.db,
      config: { ...config, API_TOKEN: token },
      routes: [routingRoutes, notificationRoutes({ hasTemplate: () => true }), shippingRoutes([]), UNLISTED_ROUTES],
    });
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.add(`${method} ${route.url}`);
    });
    await app.ready();

    for (const role of ROLES) sessions[role] = await signIn(`${role}@example.com`);
    sessions.disabled = await signIn('leaver@example.com');
    await users.disable('leaver@example.com', cli);
    sessions.expired = await signIn('lapsed@example.com');
    await ctx.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = 'lapsed@example.com')`,
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  describe.each(LIST_ENDPOINTS)('GET %s', (url) => {
    it('asks for credentials without any, and refuses a wrong token even beside a good cookie', async () => {
      const none = await app.inject({ method: 'GET', url });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ code: 'unauthorized' });
      expect(none.headers['www-authenticate']).toBe('Bearer realm="orderops"');
      const wrong = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer not-the-token-0123456789', cookie: sessions.admin.cookie } });
      expect(wrong.statusCode).toBe(401);
    });

    it('answers a page to every role\'s session and to API_TOKEN', async () => {
      for (const role of ROLES) {
        const res = await asCookie(url, sessions[role].cookie);
        expect(res.statusCode, `${role}: ${res.body}`).toBe(200);
        expect(Object.keys(res.json<ListBody>()).sort()).toEqual(['items', 'next_cursor']);
      }
      const viaToken = await asToken(url);
      expect(viaToken.statusCode).toBe(200);
      expect(viaToken.json<ListBody>().items.length).toBeGreaterThan(0);
    });

    it('refuses a disabled account\'s session, an expired one and a forged cookie with 401', async () => {
      for (const [what, cookie] of [
        ['disabled', sessions.disabled.cookie],
        ['expired', sessions.expired.cookie],
        ['forged', 'orderops_session=AAAAforgedforgedforgedforgedforgedforgedforged'],
        ['empty', 'orderops_session='],
        ['tampered', `${sessions.viewer.cookie}x`],
      ] as const) {
        const res = await asCookie(url, cookie);
        expect(res.statusCode, what).toBe(401);
        expect(res.json(), what).toMatchObject({ code: 'unauthorized' });
      }
    });

    it('refuses a bad limit or cursor with 400 naming it, including another list\'s cursor', async () => {
      for (const limit of ['-1', '1.5', '', '1e3']) await expectBadParam(`${url}?limit=${limit}`, 'limit');
      await expectBadParam(`${url}?cursor=`, 'cursor');
      await expectBadParam(`${url}?cursor=${'A'.repeat(2100)}`, 'cursor');
      const other = LIST_ENDPOINTS.find((u) => u !== url && u !== '/api/products')!;
      const foreign = (await list(`${other}?limit=1`)).next_cursor;
      expect(foreign).not.toBeNull();
      await expectBadParam(`${url}?cursor=${foreign}`, 'cursor');
    });
  });

  it('walks every list to its end at one item per page without showing one twice', async () => {
    const keyOf: Partial<Record<ListEndpoint, (i: Item) => string>> = {
      '/api/inventory': (i) => `${i.sku}@${i.location_id}`,
    };
    for (const url of LIST_ENDPOINTS) {
      const key = keyOf[url] ?? ((i: Item) => String(i.id));
      const all = (await list(`${url}?limit=200`)).items.map(key);
      expect(all.length, url).toBeGreaterThan(1);
      expect(await walk(url, 1, key), url).toEqual(all);
    }
  });

  it('filters /api/orders by status and channel, to the last page', async () => {
    await expectFilter('/api/orders?status=on_hold', (o) => o.status === 'on_hold');
    await expectFilter('/api/orders?status=pending', (o) => o.status === 'pending');
    const { rows } = await ctx.db.query<{ channel: string }>('SELECT channel FROM orders GROUP BY channel ORDER BY count(*) DESC LIMIT 1');
    await expectFilter(`/api/orders?channel=${encodeURIComponent(rows[0]!.channel)}`, (o) => o.channel === rows[0]!.channel);
    await expectFilter(`/api/orders?status=on_hold&channel=${encodeURIComponent(rows[0]!.channel)}`, (o) => o.status === 'on_hold');
    await expectBadParam('/api/orders?channel=', 'channel');
  });

  it('filters /api/approvals by status', async () => {
    await expectFilter('/api/approvals?status=pending', (a) => a.status === 'pending');
    expect((await list('/api/approvals?status=rejected')).items).toEqual([]);
  });

  it('filters /api/flags by status, rule and category', async () => {
    const unresolved = await expectFilter('/api/flags?status=unresolved', (f) => f.status === 'open' || f.status === 'acknowledged');
    expect(unresolved).toHaveLength(5);
    await expectFilter('/api/flags?status=open', (f) => f.status === 'open');
    await expectFilter('/api/flags?status=acknowledged', (f) => f.rule === 'carrier_exception');
    await expectFilter('/api/flags?rule=order_risk', (f) => f.rule === 'order_risk');
    for (const category of ['risk', 'stock', 'operations']) await expectFilter(`/api/flags?category=${category}`, (f) => f.category === category);
    expect((await list('/api/flags?category=stock&rule=order_risk')).items).toEqual([]);
    await expectBadParam('/api/flags?category=fraud', 'category');
    await expectBadParam('/api/flags?rule=', 'rule');
  });

  it('filters /api/products by q', async () => {
    await expectFilter('/api/products?q=acc-', (p) => p.id === 'p-access');
    await expectBadParam(`/api/products?q=${'x'.repeat(201)}`, 'q');
  });

  it('filters /api/inventory by sku and location', async () => {
    const key = (i: Item) => `${i.sku}@${i.location_id}`;
    await expectFilter('/api/inventory?location=loc-west-wh', (i) => i.location_id === 'loc-west-wh', key);
    await expectFilter('/api/inventory?sku=acc-mug-02', (i) => i.sku === 'ACC-MUG-02', key);
    await expectFilter('/api/inventory?sku=ACC-MUG-02&location=loc-east-wh', (i) => i.sku === 'ACC-MUG-02' && i.location_id === 'loc-east-wh', key);
    await expectBadParam('/api/inventory?sku=', 'sku');
    await expectBadParam('/api/inventory?location=%20', 'location');
  });

  it('filters /api/jobs/failed by status and queue', async () => {
    const open = await expectFilter('/api/jobs/failed?status=open', (j) => j.retried_at === null);
    expect(open).toHaveLength(3);
    // Open is the default.
    expect((await list('/api/jobs/failed')).items.map((j) => j.id)).toEqual(open.map((j) => j.id));
    const retried = (await list('/api/jobs/failed?status=retried')).items;
    expect(retried.map((j) => j.job_id)).toEqual(['job-4']);
    expect(await walk('/api/jobs/failed?status=any', 1)).toHaveLength(4);
    await expectFilter('/api/jobs/failed?status=any&queue=stock-push', (j) => j.queue === 'stock-push');
    expect((await list('/api/jobs/failed?queue=stock-push')).items.map((j) => j.job_id)).toEqual(['job-3']);
    await expectBadParam('/api/jobs/failed?status=dead', 'status');
    await expectBadParam('/api/jobs/failed?queue=', 'queue');
  });

  it('filters /api/inbox by each of its kinds and by several', async () => {
    const counts: Record<string, number> = {};
    for (const kind of ['approval', 'held_order', 'exception', 'sla_breach', 'flag', 'failed_job']) {
      counts[kind] = (await expectFilter(`/api/inbox?kind=${kind}`, (i) => i.kind === kind)).length;
    }
    expect(counts).toEqual({ approval: 3, held_order: 3, exception: 1, sla_breach: 1, flag: 4, failed_job: 3 });
    const several = await expectFilter('/api/inbox?kind=held_order,%20failed_job', (i) => i.kind === 'held_order' || i.kind === 'failed_job');
    expect(several).toHaveLength(6);
    await expectBadParam('/api/inbox?kind=', 'kind.0');
  });

  it('refuses a viewer every write route that needs more than reading, with 403 naming the permission', async () => {
    const missing = Object.keys(WRITE_ROUTE_CAPABILITIES).filter((r) => !registered.has(r));
    expect(missing, 'table entries with no route behind them here').toEqual([]);
    const viewer = sessions.viewer;
    for (const [route, need] of Object.entries(WRITE_ROUTE_CAPABILITIES)) {
      if (need === 'see') continue;
      const [method, pattern] = route.split(' ') as ['POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      const res = await app.inject({ method, url: pattern.replace(/:\w+/g, 'x-none'), headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload: {} });
      expect(res.statusCode, route).toBe(403);
      expect(res.json<{ code: string; error: string }>(), route).toMatchObject({ code: 'forbidden_role', error: expect.stringContaining(`needs the ${need} permission`) });
    }
  });

  it('lets each role through exactly the write routes its permissions cover', async () => {
    const refused = (res: LightMyRequestResponse) => res.statusCode === 403 && res.json<{ code: string }>().code === 'forbidden_role';
    for (const role of ROLES) {
      const s = sessions[role];
      for (const [route, need] of Object.entries(WRITE_ROUTE_CAPABILITIES)) {
        // Allowed, it would end the session the rest of this test uses.
        if (route === 'POST /logout') continue;
        const [method, pattern] = route.split(' ') as ['POST' | 'PUT' | 'PATCH' | 'DELETE', string];
        // An empty body and unknown ids: past the role check the route refuses it, and nothing changes.
        const res = await app.inject({ method, url: pattern.replace(/:\w+/g, 'x-none'), headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: {} });
        expect(refused(res), `${role} ${route}: ${res.statusCode} ${res.body}`).toBe(!roleAllows(role, need));
      }
    }
  });

  it('refuses a write route missing from the table to every session, admins too, but not to API_TOKEN', async () => {
    expect(Object.keys(WRITE_ROUTE_CAPABILITIES).some((r) => r.includes('/api/test-only/'))).toBe(false);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const role of ROLES) {
        const s = sessions[role];
        const res = await app.inject({ method, url: '/api/test-only/unlisted', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: {} });
        expect(res.statusCode, `${role} ${method}`).toBe(403);
        expect(res.json<{ error: string }>()).toMatchObject({ code: 'forbidden_role' });
        expect(res.json<{ error: string }>().error).not.toContain('permission');
      }
      const viaToken = await app.inject({ method, url: '/api/test-only/unlisted', headers: { authorization: `Bearer ${token}` }, payload: {} });
      expect(viaToken.statusCode, method).toBe(200);
      expect(viaToken.json()).toEqual({ ran: true });
    }
  });
});

