import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../../src/config/config.js';
import { systemActor, type Actor } from '../../src/domain/actor.js';
import type { DashboardSummary } from '../../src/console/dashboard-summary.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { transitionOrder } from '../../src/domain/orders/order-state-machine.js';
import { buildServer } from '../../src/server/build-server.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { describeEachDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' } as NodeJS.ProcessEnv);
const token = 'dashboard-test-token-0123456789';
const ops: Actor = { kind: 'person', id: 'U_OPS' };
const HOLD_REASON = 'address <script>alert(1)</script> mismatch';

describeEachDb('operator dashboard', (ctx) => {
  let app: FastifyInstance;
  let guarded: FastifyInstance;
  let approvalId: string;
  const flagIds: Record<string, number> = {};

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    await holdOrder(ctx.db, { orderId: '#W1000004', reason: HOLD_REASON }, ops);
    await transitionOrder(ctx.db, '#W1000003', { to: 'exception', actor: systemActor('carrier'), reason: 'carrier reported damage' });

    for (const [category, rule, subjectType, subjectId] of [
      ['risk', 'order_risk', 'order', '#W1000004'],
      ['operations', 'order_sla', 'order', '#W1000008'],
      ['operations', 'carrier_exception', 'fulfilment', '#W1000003'],
      ['stock', 'stockout_risk', 'stock', '2000000001@loc-east-wh'],
    ] as const) {
      const { flag } = await raiseFlag(
        ctx.db,
        { subjectType, subjectId, rule, category, severity: 'warning', score: 50, title: `${rule} on ${subjectId}`, reasons: ['test'] },
        systemActor('test'),
      );
      flagIds[rule] = flag.id;
    }
    // A resolved flag must not show.
    const { flag: done } = await raiseFlag(
      ctx.db,
      { subjectType: 'order', subjectId: '#W2000001', rule: 'order_risk', category: 'risk', severity: 'info', score: 10, title: 'old', reasons: [] },
      systemActor('test'),
    );
    await ctx.db.query(`UPDATE anomaly_flags SET status = 'resolved', resolved_at = now() WHERE id = $1`, [done.id]);

    const approvals = createApprovalService({ db: ctx.db, config });
    const tool = opsToolset().get('cancel_order')!;
    const { approval } = await approvals.request({
      tool,
      args: { order_id: '#W1000001', reason: 'no longer needed' },
      ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: ops.id }, persona: 'ops' },
      reason: 'cancelling needs approval',
      requester: ops,
      verification: { verified: true, summary: 'Slack user U_OPS (signed request)' },
      origin: { channel: 'slack', threadKey: 'C1:1.0' },
    });
    approvalId = approval.id;

    app = buildServer({ db: ctx.db, config });
    guarded = buildServer({ db: ctx.db, config: { ...config, API_TOKEN: token } });
    await Promise.all([app.ready(), guarded.ready()]);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await guarded?.close();
  });

  it('GET /api/dashboard lists approvals, holds, exceptions, flags by category and status counts', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/dashboard' });
    expect(res.statusCode).toBe(200);
    const body = res.json<DashboardSummary>();

    expect(body.pendingApprovals.total).toBe(1);
    expect(body.pendingApprovals.items[0]).toMatchObject({ id: approvalId, tool: 'cancel_order', orderId: '#W1000001', requestedBy: 'U_OPS', requesterVerification: 'Slack user U_OPS (signed request)' });

    expect(body.heldOrders.total).toBe(1);
    expect(body.heldOrders.items[0]).toMatchObject({ id: '#W1000004', holdReason: HOLD_REASON });
    expect(Number.isNaN(Date.parse(body.heldOrders.items[0]!.placedAt))).toBe(false);

    expect(body.exceptionOrders.items).toEqual([expect.objectContaining({ id: '#W1000003', reason: 'carrier reported damage' })]);

    expect(body.flags.risk.items.map((f) => f.id)).toEqual([flagIds.order_risk]);
    expect(body.flags.stock.items.map((f) => f.id)).toEqual([flagIds.stockout_risk]);
    expect(body.flags.operations.items.map((f) => f.id).sort()).toEqual([flagIds.order_sla, flagIds.carrier_exception].sort());
    expect(body.flags.operations.total).toBe(2);

    const { rows } = await ctx.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
    for (const r of rows) expect(body.ordersByStatus[r.status]).toBe(r.n);
    expect(body.ordersByStatus.on_hold).toBe(1);
    expect(body.ordersByStatus.exception).toBe(1);
    expect(body.ordersByStatus.shipped).toBe(0);
    expect(body.totalOrders).toBe(rows.reduce((s, r) => s + r.n, 0));
  });

  it('drops an approval from the dashboard once it is decided', async () => {
    const other = createApprovalService({ db: ctx.db, config: { ...config, APPROVERS: ['U_BOSS'] } });
    const tool = opsToolset().get('cancel_order')!;
    const { approval } = await other.request({
      tool,
      args: { order_id: '#W1000005', reason: 'no longer needed' },
      ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: ops.id }, persona: 'ops' },
      reason: 'cancelling needs approval',
      requester: ops,
      verification: { verified: true, summary: 'Slack user U_OPS (signed request)' },
      origin: { channel: 'slack', threadKey: 'C1:2.0' },
    });
    const before = (await app.inject({ method: 'GET', url: '/api/dashboard' })).json<DashboardSummary>();
    expect(before.pendingApprovals.items.map((a) => a.id)).toContain(approval.id);
    await other.decideApproval({ id: approval.id, decision: 'reject', decider: { kind: 'person', id: 'U_BOSS' } });
    const after = (await app.inject({ method: 'GET', url: '/api/dashboard' })).json<DashboardSummary>();
    expect(after.pendingApprovals.items.map((a) => a.id)).toEqual([approvalId]);
  });

  it('GET /dashboard renders the same data as escaped HTML that reloads itself', async () => {
    const res = await app.inject({ method: 'GET', url: '/dashboard' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('address &lt;script&gt;alert(1)&lt;/script&gt; mismatch');
    for (const text of [approvalId, '#W1000004', '#W1000003', 'carrier reported damage', 'order_sla', 'carrier_exception', 'stockout_risk']) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('#W2000001');
  });

  it('puts both endpoints behind API_TOKEN when it is set', async () => {
    for (const url of ['/dashboard', '/dashboard?x=1', '/api/dashboard']) {
      expect((await guarded.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await guarded.inject({ method: 'GET', url, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      expect((await guarded.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    }
    expect((await guarded.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
