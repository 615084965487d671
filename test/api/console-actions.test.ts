import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/domain/actor.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import type { Role } from '../../src/security/role-policy.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { canonicalTestOrder } from '../support/routing-fixtures.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', PASSWORD_HASH_ROUNDS: '4' } as NodeJS.ProcessEnv);
const PASSWORD = 'a long test password';
const cli: Actor = { kind: 'person', id: 'cli:test' };

interface Session {
  cookie: string;
  csrf: string;
}

describeEachDb('console actions through the approval gate', (ctx) => {
  let app: FastifyInstance;
  const sessions: Partial<Record<Role, Session>> = {};
  let flagId = 0;
  let routedOrder = '';

  const post = (who: Role, url: string, payload: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url, headers: { cookie: sessions[who]!.cookie, 'x-csrf-token': sessions[who]!.csrf }, payload });
  const orderStatus = async (id: string) => (await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [id])).rows[0]!.status;

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    const users = createUserRepository(ctx.db, { hashRounds: 4 });
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      await users.add({ email: `${role}@example.com`, role, password: PASSWORD }, cli);
    }
    app = buildServer({ db: ctx.db, config });
    await app.ready();
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      const res = await app.inject({ method: 'POST', url: '/login', payload: { email: `${role}@example.com`, password: PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      sessions[role] = { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json<{ csrf_token: string }>().csrf_token };
    }
    flagId = (
      await raiseFlag(
        ctx.db,
        { subjectType: 'order', subjectId: '#W1000004', rule: 'order_risk', category: 'risk', severity: 'warning', score: 0.7, title: 'Risky order', reasons: ['new device'] },
        cli,
      )
    ).flag.id;
    await seedTestCatalog(ctx.db, 'p-act', [{ sku: 'ACT-1', price: '15.00', stock: { 'loc-east-wh': 5, 'loc-west-wh': 5 } }]);
    routedOrder = (await createOrder(ctx.db, canonicalTestOrder('act-1', [{ sku: 'ACT-1', quantity: 1 }]), { kind: 'api', id: 'test' })).order.id;
    await recordFailedJob(ctx.db, { queue: 'notifications', jobId: 'job-1', payload: { n: 1 }, error: 'SMTP 421', attempts: 5 });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('holds at once, and a release waits for an approver other than the one who asked', async () => {
    const hold = await post('operator', '/api/orders/W1000001/hold', { reason: 'address looks wrong' });
    expect(hold.statusCode, hold.body).toBe(200);
    expect(hold.json()).toMatchObject({ status: 'done' });
    expect(await orderStatus('#W1000001')).toBe('on_hold');

    const release = await post('approver', '/api/orders/%23W1000001/release', { note: 'customer confirmed' });
    expect(release.statusCode, release.body).toBe(202);
    const approval = release.json<{ status: string; approval: { id: string; tool: string; status: string }; created: boolean }>();
    expect(approval).toMatchObject({ status: 'pending_approval', created: true, approval: { tool: 'release_order', status: 'pending' } });
    expect(await orderStatus('#W1000001')).toBe('on_hold');

    // Asked twice: still one approval.
    const again = await post('approver', '/api/orders/W1000001/release', { note: 'customer confirmed' });
    expect(again.json()).toMatchObject({ created: false, approval: { id: approval.approval.id } });

    const own = await post('approver', `/api/approvals/${approval.approval.id}/decision`, { decision: 'approve', reason: 'fine' });
    expect(own.statusCode).toBe(403);
    expect(await orderStatus('#W1000001')).toBe('on_hold');
  });

  it('cancels and refunds once, after an approver approves the operator\'s request', async () => {
    const asked = await post('operator', '/api/orders/W1000005/cancel', { reason: 'customer asked by phone' });
    expect(asked.statusCode, asked.body).toBe(202);
    const id = asked.json<{ approval: { id: string } }>().approval.id;
    const decided = await post('approver', `/api/approvals/${id}/decision`, { decision: 'approve', reason: 'confirmed' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'executed' });
    expect(await orderStatus('#W1000005')).toBe('cancelled');
    const again = await post('approver', `/api/approvals/${id}/decision`, { decision: 'approve', reason: 'confirmed' });
    expect(again.statusCode).toBe(409);
    const refunds = await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM payments WHERE order_id = '#W1000005' AND kind = 'refund'`);
    expect(Number(refunds.rows[0]!.n)).toBe(1);
    const audit = await ctx.db.query<{ actor_id: string }>(`SELECT actor_id FROM audit_log WHERE entity_id = $1 AND action LIKE 'approval.%' ORDER BY id`, [id]);
    expect(audit.rows.map((r) => r.actor_id)).toContain('approver@example.com');
  });

  it('requests a reroute and a retry as approvals, and works flags at once', async () => {
    const reroute = await post('operator', `/api/orders/${encodeURIComponent(routedOrder)}/reroute`, { reason: 'warehouse closed', locations: ['loc-west-wh'] });
    expect(reroute.statusCode, reroute.body).toBe(202);
    expect(reroute.json()).toMatchObject({ approval: { tool: 'reroute_order' } });

    const failed = await ctx.db.query<{ id: number }>(`SELECT id FROM failed_jobs WHERE job_id = 'job-1'`);
    const retry = await post('operator', `/api/jobs/failed/${failed.rows[0]!.id}/retry`);
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.json()).toMatchObject({ approval: { tool: 'retry_failed_job' } });

    const ack = await post('operator', `/api/flags/${flagId}/acknowledge`, { note: 'calling the customer' });
    expect(ack.statusCode, ack.body).toBe(200);
    const resolve = await post('operator', `/api/flags/${flagId}/resolve`, { resolution: 'customer confirmed the order' });
    expect(resolve.statusCode, resolve.body).toBe(200);
    const flag = await ctx.db.query<{ status: string; resolved_by: string }>('SELECT status, resolved_by FROM anomaly_flags WHERE id = $1', [flagId]);
    expect(flag.rows[0]).toMatchObject({ status: 'resolved' });
    expect(flag.rows[0]!.resolved_by).toContain('operator@example.com');
  });

  it('refuses a viewer, a bad body, an unknown order and a request without the CSRF token, changing nothing', async () => {
    const viewer = await post('viewer', '/api/orders/W1000008/hold', { reason: 'looks odd' });
    expect(viewer.statusCode).toBe(403);
    const bad = await post('operator', '/api/orders/W1000008/hold', {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['reason']);
    const unknown = await post('operator', '/api/orders/W9999999/hold', { reason: 'looks odd' });
    expect(unknown.statusCode).toBe(404);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/orders/W1000008/hold',
      headers: { cookie: sessions.operator!.cookie },
      payload: { reason: 'looks odd' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await orderStatus('#W1000008')).toBe('pending');
  });

  it('reads forms too: a forged form post meets the CSRF check, a form with the token is decided', async () => {
    const asked = await post('operator', '/api/orders/W2000001/cancel', { reason: 'duplicate order' });
    const id = asked.json<{ approval: { id: string } }>().approval.id;
    const form = (body: string) =>
      app.inject({
        method: 'POST',
        url: `/api/approvals/${id}/decision`,
        headers: { cookie: sessions.approver!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
    const forged = await form('decision=approve&reason=looks+fine');
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'csrf_token_invalid' });
    expect(await orderStatus('#W2000001')).toBe('pending');
    const real = await form(`decision=reject&reason=not+a+duplicate&_csrf=${encodeURIComponent(sessions.approver!.csrf)}`);
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json()).toMatchObject({ status: 'rejected' });
  });

  it("answers an order's record: routing explanation, flags, approvals and its history newest first", async () => {
    const routed = await app.inject({ method: 'GET', url: `/api/orders/${encodeURIComponent(routedOrder)}/record`, headers: { cookie: sessions.viewer!.cookie } });
    expect(routed.statusCode, routed.body).toBe(200);
    const r = routed.json<{ routing: { locations: string[]; explanation: string[] }; approvals: { tool: string }[]; history: { at: string; source: string }[] }>();
    expect(r.routing.locations).toEqual(['loc-east-wh']);
    expect(r.routing.explanation.some((l) => l.startsWith('winner: loc-east-wh'))).toBe(true);
    expect(r.approvals.map((a) => a.tool)).toContain('reroute_order');
    expect(r.history.map((h) => h.source)).toEqual(expect.arrayContaining(['routing', 'approval']));
    expect([...r.history].sort((a, b) => b.at.localeCompare(a.at))).toEqual(r.history);

    const cancelled = await app.inject({ method: 'GET', url: '/api/orders/W1000005/record', headers: { cookie: sessions.viewer!.cookie } });
    const c = cancelled.json<{ history: { source: string; actor: string | null; text: string }[] }>();
    expect(c.history).toContainEqual(expect.objectContaining({ source: 'status', text: expect.stringMatching(/^pending → cancelled/) }));
    expect(c.history).toContainEqual(expect.objectContaining({ source: 'approval', actor: 'approver@example.com', text: expect.stringMatching(/^executed/) }));

    const flagged = await app.inject({ method: 'GET', url: '/api/orders/W1000004/record', headers: { cookie: sessions.viewer!.cookie } });
    expect(flagged.json()).toMatchObject({ flags: [{ title: 'Risky order', status: 'resolved' }] });
    const missing = await app.inject({ method: 'GET', url: '/api/orders/W9999999/record', headers: { cookie: sessions.viewer!.cookie } });
    expect(missing.statusCode).toBe(404);
  });
});
