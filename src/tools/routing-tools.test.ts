import { beforeAll, expect, it } from 'vitest';
import { canonicalTestOrder } from '../../test/support/routing-fixtures.js';
import { seedTestCatalog } from '../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { createApprovalService, type ApprovalService } from '../agent/approval-service.js';
import { executeToolCall } from '../agent/tool-executor.js';
import { loadConfig } from '../config/config.js';
import { createOrder } from '../domain/orders/create-order.js';
import { listRoutingRules } from '../domain/routing/routing-rule-repository.js';
import { opsToolset } from './ops-toolset.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER' } as NodeJS.ProcessEnv);
const requester = { kind: 'person' as const, id: 'U_REQUESTER' };

describeEachDb('routing tools', (ctx) => {
  let approvals: ApprovalService;
  const call = (name: string, input: Record<string, unknown>, thread = `t-${name}`) =>
    executeToolCall(
      {
        toolset: opsToolset(),
        ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
        approvals,
        requester,
        verification: { verified: true, summary: 'Slack user U_REQUESTER (signed request)' },
        origin: { channel: 'slack', threadKey: thread },
      },
      { id: 'toolu_1', name, input },
    );
  const approve = (id: string) => approvals.decideApproval({ id, decision: 'approve', decider: { kind: 'person', id: 'U_APPROVER' } });
  let orderId: string;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-rtool', [{ sku: 'RTOOL-1', price: '15.00', stock: { 'loc-east-wh': 5, 'loc-west-wh': 5 } }]);
    approvals = createApprovalService({ db: ctx.db, config });
    const { order } = await createOrder(ctx.db, canonicalTestOrder('rtool-1', [{ sku: 'RTOOL-1', quantity: 1 }]), { kind: 'api', id: 'test' });
    orderId = order.id;
  });

  it('explain_routing reads the stored decision', async () => {
    const out = await call('explain_routing', { order_id: orderId });
    expect(out.isError).toBe(false);
    const body = JSON.parse(out.content) as { latest: { locations: string[]; trigger: string }; explanation: string };
    expect(body.latest).toMatchObject({ locations: ['loc-east-wh'], trigger: 'created' });
    expect(body.explanation).toContain('winner: loc-east-wh');
  });

  it('reroute_order waits for approval, previews the move, and runs once approved', async () => {
    const out = await call('reroute_order', { order_id: orderId, locations: ['loc-west-wh'], reason: 'Newark closed today' });
    expect(out.approval?.status).toBe('pending');
    expect(out.approval!.preview.changes).toContainEqual({ field: 'ships from', before: ['loc-east-wh'], after: ['loc-west-wh'] });
    const before = await ctx.db.query(`SELECT location_id FROM reservations WHERE order_id = $1 AND status = 'active'`, [orderId]);
    expect(before.rows).toEqual([{ location_id: 'loc-east-wh' }]);
    const decided = await approve(out.approval!.id);
    expect(decided.status).toBe('executed');
    const after = await ctx.db.query(`SELECT location_id FROM reservations WHERE order_id = $1 AND status = 'active'`, [orderId]);
    expect(after.rows).toEqual([{ location_id: 'loc-west-wh' }]);
  });

  it('propose_routing_rule shows the simulate diff in the approval and inserts the rule only when approved', async () => {
    const out = await call('propose_routing_rule', { name: 'Canada from Newark', when: { country: ['CA'] }, then: { eligibleLocations: ['loc-east-wh'], maxSplits: 1 } });
    expect(out.approval?.status).toBe('pending');
    expect(out.approval!.preview.summary).toMatch(/add routing rule "Canada from Newark" at position 10: of \d+ orders in the last 30 days, 0 would route differently/);
    expect(await listRoutingRules(ctx.db)).toEqual([]);
    await approve(out.approval!.id);
    expect((await listRoutingRules(ctx.db)).map((r) => [r.id, r.source, r.outcome])).toEqual([
      ['canada-from-newark', 'api', { eligibleLocations: ['loc-east-wh'], maxSplits: 1 }],
    ]);
  });

  it('propose_routing_rule refuses a rule that does not validate, naming the field', async () => {
    const out = await call('propose_routing_rule', { name: 'x', then: { strategy: 'teleport' } }, 't-bad');
    expect(out.isError).toBe(true);
    expect(out.content).toContain('then.strategy');
  });
});
