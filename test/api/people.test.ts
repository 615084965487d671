import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { isStateChanging, WRITE_ROUTE_CAPABILITIES, type Role } from '../../src/security/role-policy.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { isPublicRoute } from '../../src/server/public-routes.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { LIST_ENDPOINTS } from '../support/list-endpoints.js';
import { describeEachDb, openTestDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', PASSWORD_HASH_ROUNDS: '4' } as NodeJS.ProcessEnv);
const token = 'people-test-api-token-0123456789';
const PASSWORD = 'a long test password';
const admin: Actor = { kind: 'person', id: 'cli:test' };

interface Session {
  cookie: string;
  csrf: string;
}

async function openApproval(db: Db, orderId: string, requester: Actor): Promise<string> {
  const { approval } = await createApprovalService({ db, config }).request({
    tool: opsToolset().get('cancel_order')!,
    args: { order_id: orderId, reason: 'no longer needed' },
    ctx: { db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
    reason: 'cancelling needs approval',
    requester,
    verification: { verified: true, summary: 'test requester' },
    origin: { channel: 'email', threadKey: `people:${orderId}` },
  });
  return approval.id;
}

describeEachDb('people and roles through the API', (ctx) => {
  let app: FastifyInstance;
  const writeRoutes: string[] = [];
  const approvals: Record<string, string> = {};

  const login = async (email: string, password = PASSWORD, remoteAddress = '10.1.0.1') =>
    app.inject({ method: 'POST', url: '/login', payload: { email, password }, remoteAddress });
  const signIn = async (email: string): Promise<Session> => {
    const res = await login(email);
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    return { cookie: setCookie.split(';')[0]!, csrf: res.json<{ csrf_token: string }>().csrf_token };
  };
  /** `csrf: null` sends no token at all. */
  const decide = (s: Session, id: string, csrf: string | null = s.csrf, decision = 'approve') =>
    app.inject({
      method: 'POST',
      url: `/api/approvals/${id}/decision`,
      headers: { cookie: s.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) },
      payload: { decision, reason: 'checked with the customer' },
    });
  const statusOf = async (id: string) =>
    (await ctx.db.query<{ status: string }>('SELECT status FROM approvals WHERE id = $1', [id])).rows[0]!.status;
  const orderStatus = async (id: string) =>
    (await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [id])).rows[0]!.status;

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    const users = createUserRepository(ctx.db, { hashRounds: 4 });
    const people: [string, Role][] = [
      ['viewer@example.com', 'viewer'],
      ['operator@example.com', 'operator'],
      ['approver@example.com', 'approver'],
      ['limited@example.com', 'viewer'],
      ['leaving@example.com', 'approver'],
    ];
    for (const [email, role] of people) await users.add({ email, role, password: PASSWORD }, admin);
    const ops: Actor = { kind: 'person', id: 'ops@example.com' };
    approvals.byApprover = await openApproval(ctx.db, '#W1000001', ops);
    approvals.forged = await openApproval(ctx.db, '#W1000005', ops);
    approvals.own = await openApproval(ctx.db, '#W2000001', { kind: 'person', id: 'approver@example.com' });
    approvals.byToken = await openApproval(ctx.db, '#W4000001', ops);

    app = buildServer({ db: ctx.db, config: { ...config, API_TOKEN: token } });
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (isStateChanging(method) && !isPublicRoute(method, route.url!)) writeRoutes.push(`${method} ${route.url}`);
      }
    });
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('signs in with JSON or a form and sets an HttpOnly, SameSite=Lax session cookie for the whole site', async () => {
    const res = await login('Viewer@Example.com');
    expect(res.statusCode, res.body).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^orderops_session=[A-Za-z0-9_-]{40,};/);
    for (const attr of ['HttpOnly', 'SameSite=Lax', 'Path=/']) expect(cookie).toContain(attr);
    // PUBLIC_URL is not https here.
    expect(cookie).not.toContain('Secure');
    expect(res.json()).toMatchObject({ user: { email: 'viewer@example.com', role: 'viewer' }, permissions: ['see'], csrf_token: expect.any(String) });
    // Only a hash of the token is stored.
    const stored = await ctx.db.query<{ id: string }>('SELECT id FROM sessions');
    expect(stored.rows.map((r) => r.id)).not.toContain(cookie.split(';')[0]!.split('=')[1]);

    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookie.split(';')[0]! } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ via: 'session', user: { role: 'viewer' }, csrf_token: res.json<{ csrf_token: string }>().csrf_token });

    const form = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=operator%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.statusCode, form.body).toBe(303);
    expect(String(form.headers['set-cookie'])).toMatch(/^orderops_session=/);

    const missing = await app.inject({ method: 'POST', url: '/login', payload: { email: 'viewer@example.com' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['password']);
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const https = buildServer({ db: ctx.db, config: { ...config, API_TOKEN: token, PUBLIC_URL: 'https://ops.example.com' } });
    try {
      const res = await https.inject({ method: 'POST', url: '/login', payload: { email: 'viewer@example.com', password: PASSWORD }, remoteAddress: '10.4.0.1' });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('answers a wrong password and an unknown email alike with 401, and 429 with Retry-After past five failures', async () => {
    const wrong = await login('limited@example.com', 'not the password', '10.2.0.1');
    const unknown = await login('nobody@example.com', 'not the password', '10.2.0.1');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // Failures of one email count from any address.
    for (const n of [2, 3, 4, 5]) expect((await login('limited@example.com', `wrong ${n}`, `10.2.0.${n}`)).statusCode).toBe(401);
    const limited = await login('limited@example.com', PASSWORD, '10.2.0.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(limited.headers['set-cookie']).toBeUndefined();
    // Another person is not locked out by it.
    expect((await login('viewer@example.com', PASSWORD, '10.2.0.9')).statusCode).toBe(200);
  });

  it('limits one address trying many emails to 20 failures', async () => {
    for (let n = 0; n < 20; n++) expect((await login(`guess${n}@example.com`, 'wrong password', '10.3.0.1')).statusCode).toBe(401);
    expect((await login('operator@example.com', PASSWORD, '10.3.0.1')).statusCode).toBe(429);
    expect((await login('operator@example.com', PASSWORD, '10.3.0.2')).statusCode).toBe(200);
  });

  it('lets a viewer read the lists but refuses the decision and every other change', async () => {
    const viewer = await signIn('viewer@example.com');
    for (const url of ['/api/orders', '/api/approvals', '/api/flags', '/api/inbox', '/api/orders/W1000001']) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: viewer.cookie } });
      expect(res.statusCode, url).toBe(200);
    }
    const decision = await decide(viewer, approvals.byApprover!);
    expect(decision.statusCode).toBe(403);
    expect(decision.json()).toMatchObject({ code: 'forbidden_role' });
    const create = await app.inject({ method: 'POST', url: '/api/orders', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload: {} });
    expect(create.statusCode).toBe(403);
    const adjust = await app.inject({ method: 'POST', url: '/api/inventory/adjustments', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload: {} });
    expect(adjust.statusCode).toBe(403);
    expect(await statusOf(approvals.byApprover!)).toBe('pending');
  });

  it('lets an operator act but not decide approvals', async () => {
    const operator = await signIn('operator@example.com');
    // Past the role check: the body is what is wrong now.
    const adjust = await app.inject({ method: 'POST', url: '/api/inventory/adjustments', headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf }, payload: {} });
    expect(adjust.statusCode).toBe(400);
    expect((await decide(operator, approvals.byApprover!)).statusCode).toBe(403);
  });

  it('an approver approves once, and the audit row names the person', async () => {
    const approver = await signIn('approver@example.com');
    const first = await decide(approver, approvals.byApprover!);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'executed', approval: { decided_by: 'approver@example.com' } });
    const again = await decide(approver, approvals.byApprover!);
    expect(again.statusCode).toBe(409);
    expect(await orderStatus('#W1000001')).toBe('cancelled');
    const cancelled = await ctx.db.query(`SELECT 1 FROM order_events WHERE order_id = '#W1000001' AND to_status = 'cancelled'`);
    expect(cancelled.rows).toHaveLength(1);
    const audit = await ctx.db.query<{ actor_kind: string; actor_id: string; action: string }>(
      `SELECT actor_kind, actor_id, action FROM audit_log WHERE entity_type = 'approval' AND entity_id = $1`,
      [approvals.byApprover],
    );
    expect(audit.rows).toEqual([{ actor_kind: 'person', actor_id: 'approver@example.com', action: 'approval.executed' }]);
  });

  it('refuses an approver their own request', async () => {
    const approver = await signIn('approver@example.com');
    const own = await decide(approver, approvals.own!);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'self_approval' });
    expect(await statusOf(approvals.own!)).toBe('pending');
  });

  it('refuses a change without this session\'s CSRF token, and nothing changes', async () => {
    const approver = await signIn('approver@example.com');
    const other = await signIn('approver@example.com');
    for (const csrf of [null, '', 'forged-token', other.csrf]) {
      const res = await decide(approver, approvals.forged!, csrf);
      expect(res.statusCode, String(csrf)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'csrf_token_invalid' });
    }
    // A browser form post carries the token as a field, not a header.
    const formWithout = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x=1',
    });
    expect(formWithout.statusCode).toBe(403);
    expect(await statusOf(approvals.forged!)).toBe('pending');
    expect(await orderStatus('#W1000005')).not.toBe('cancelled');
    const formWith = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(approver.csrf)}`,
    });
    expect(formWith.statusCode).toBe(200);
  });

  it('logout ends the session', async () => {
    const s = await signIn('viewer@example.com');
    const out = await app.inject({ method: 'POST', url: '/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signed_out: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('refuses an expired session, and a session whose account was disabled', async () => {
    const s = await signIn('viewer@example.com');
    expect((await app.inject({ method: 'GET', url: '/api/orders', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    const me = (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).json<{ expires_at: string }>();
    await ctx.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE expires_at = $1`, [me.expires_at]);
    const expired = await app.inject({ method: 'GET', url: '/api/orders', headers: { cookie: s.cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'unauthorized' });

    const leaving = await signIn('leaving@example.com');
    await createUserRepository(ctx.db, { hashRounds: 4 }).disable('leaving@example.com', admin);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: leaving.cookie } })).statusCode).toBe(401);
    expect((await login('leaving@example.com')).statusCode).toBe(401);
  });

  it('still takes the bearer token, with full access and no CSRF token, and without a cookie asks for one of them', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/orders', headers: { authorization: `Bearer ${token}` } });
    expect(list.statusCode).toBe(200);
    const decided = await app.inject({
      method: 'POST',
      url: `/api/approvals/${approvals.byToken}/decision`,
      headers: { authorization: `Bearer ${token}` },
      payload: { decision: 'reject', reason: 'not needed' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ approval: { decided_by: 'api-token' } });
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ user: null, via: 'api_token', csrf_token: null });
    // A wrong token is not rescued by a valid cookie.
    const s = await signIn('operator@example.com');
    expect((await app.inject({ method: 'GET', url: '/api/orders', headers: { authorization: 'Bearer wrong-token-wrong-token', cookie: s.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/orders' })).statusCode).toBe(401);
  });

  it('has a decision for every state-changing core route a session could reach', () => {
    // The routes extensions add are checked with the whole app in test/security/encoded-paths.test.ts.
    expect(writeRoutes.length).toBeGreaterThan(5);
    expect(writeRoutes.filter((r) => !(r in WRITE_ROUTE_CAPABILITIES))).toEqual([]);
  });
});

describe('a loopback server without API_TOKEN', () => {
  it('stays open until the first account exists, then asks everyone to sign in', async () => {
    const db = await openTestDb('pglite');
    const app = buildServer({ db, config });
    try {
      await app.ready();
      for (const url of LIST_ENDPOINTS) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/me' })).json()).toMatchObject({ via: 'open', user: null });
      await createUserRepository(db, { hashRounds: 4 }).add({ email: 'first@example.com', role: 'admin', password: PASSWORD }, admin);
      for (const url of LIST_ENDPOINTS) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
        expect(res.json()).toMatchObject({ code: 'unauthorized' });
      }
      const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'first@example.com', password: PASSWORD } });
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      expect((await app.inject({ method: 'GET', url: '/api/orders', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.close();
    }
  }, 60_000);
});
