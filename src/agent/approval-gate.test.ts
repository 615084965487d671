import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { ALICE, ALICE_CARD, ALICE_GIFT, seedAgentFixture } from '../../test/support/agent-fixture.js';
import { loadConfig } from '../config/config.js';
import type { Db } from '../db/db.js';
import { getCustomerDetails } from '../domain/customers/customer-repository.js';
import { holdOrder } from '../domain/orders/hold-order.js';
import { loadOrder, toRetailOrder } from '../domain/orders/order-repository.js';
import { opsToolset } from '../tools/ops-toolset.js';
import type { ToolContext } from '../tools/tool.js';
import { createApprovalService, type ApprovalService } from './approval-service.js';
import { executeToolCall } from './tool-executor.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER,U_SECOND', APPROVAL_REFUND_THRESHOLD: '10' } as NodeJS.ProcessEnv);
const requester = { kind: 'person' as const, id: 'U_REQUESTER' };
const approver = { kind: 'person' as const, id: 'U_APPROVER' };
const second = { kind: 'person' as const, id: 'U_SECOND' };

/** Every approval-gated call, each on an order of its own in the right state. */
const CASES: {
  tool: string;
  orderId: string;
  /** What the preview names as changing, when it is not the order (a customer record). */
  subject?: string;
  input: Record<string, unknown>;
  prepare?: (db: Db) => Promise<void>;
}[] = [
  { tool: 'cancel_order', orderId: '#W1000001', input: { order_id: '#W1000001', reason: 'no longer needed' } },
  {
    tool: 'modify_order_items',
    orderId: '#W1000004',
    input: { order_id: '#W1000004', item_ids: ['1000000003'], new_item_ids: ['1000000001'], payment_method_id: ALICE_CARD },
  },
  { tool: 'modify_order_payment', orderId: '#W1000005', input: { order_id: '#W1000005', payment_method_id: ALICE_GIFT } },
  {
    tool: 'return_order_items',
    orderId: '#W1000006',
    input: { order_id: '#W1000006', item_ids: ['1000000002'], payment_method_id: ALICE_CARD },
  },
  {
    tool: 'exchange_order_items',
    orderId: '#W1000007',
    input: { order_id: '#W1000007', item_ids: ['1000000003'], new_item_ids: ['1000000002'], payment_method_id: ALICE_CARD },
  },
  {
    tool: 'release_order',
    orderId: '#W1000008',
    input: { order_id: '#W1000008', note: 'checked with the customer' },
    prepare: async (db) => {
      await holdOrder(db, { orderId: '#W1000008', reason: 'address mismatch' }, { kind: 'person', id: 'ops' });
    },
  },
  {
    tool: 'cancel_and_refund_order',
    orderId: '#W1000003',
    input: { order_id: '#W1000003', reason: 'suspected fraud' },
    prepare: async (db) => {
      await holdOrder(db, { orderId: '#W1000003', reason: 'risk score 95' }, { kind: 'job', id: 'anomaly-detector' });
    },
  },
  {
    tool: 'modify_order_address',
    orderId: '#W1000005',
    input: { order_id: '#W1000005', address1: '5 New Road', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '73301' },
  },
  {
    tool: 'modify_customer_address',
    orderId: '#W1000002',
    subject: ALICE,
    input: { customer_id: ALICE, address1: '5 New Road', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '73301' },
  },
  // refund_order is a write tool; the policy gates refunds above APPROVAL_REFUND_THRESHOLD (10).
  { tool: 'refund_order', orderId: '#W1000009', input: { order_id: '#W1000009', amount: 50, reason: 'damaged on arrival' } },
];

async function state(db: Db, orderId: string): Promise<string> {
  const order = await loadOrder(db, orderId);
  return JSON.stringify({ order: toRetailOrder(order!), customer: await getCustomerDetails(db, ALICE) });
}

async function agentAuditCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor_kind = 'agent'`);
  return rows[0]!.n;
}

describeEachDb('approval gate', (ctx) => {
  let approvals: ApprovalService;
  const toolset = opsToolset();
  const toolCtx = (): ToolContext => ({ db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' });
  const ask = (tool: string, input: Record<string, unknown>, thread: string) =>
    executeToolCall({ toolset, ctx: toolCtx(), approvals, requester, verification: { verified: true, summary: 'Slack user U_REQUESTER (signed request)' }, origin: { channel: 'slack', threadKey: thread } }, { id: 'toolu_1', name: tool, input });

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    approvals = createApprovalService({ db: ctx.db, config });
    for (const c of CASES) await c.prepare?.(ctx.db);
  });

  for (const c of CASES) {
    describe(c.tool, () => {
      it('writes nothing before approval, nothing after reject or expiry, and exactly once after two concurrent approvals', async () => {
        const before = await state(ctx.db, c.orderId);

        const rejected = await ask(c.tool, c.input, `t-${c.tool}-1`);
        expect(rejected.isError).toBe(false);
        expect(rejected.approval?.status).toBe('pending');
        expect(rejected.approval?.preview.orderId ?? rejected.approval?.preview.customerId).toBe(c.subject ?? c.orderId);
        expect(rejected.approval!.preview.changes.length + rejected.approval!.preview.money.length).toBeGreaterThan(0);
        expect(await state(ctx.db, c.orderId)).toBe(before);
        const r = await approvals.decideApproval({ id: rejected.approval!.id, decision: 'reject', decider: approver });
        expect(r.status).toBe('rejected');
        const late = await approvals.decideApproval({ id: rejected.approval!.id, decision: 'approve', decider: second });
        expect(late.alreadyDecided).toBe(true);
        expect(await state(ctx.db, c.orderId)).toBe(before);

        const expiring = await ask(c.tool, c.input, `t-${c.tool}-2`);
        await ctx.db.query(`UPDATE approvals SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiring.approval!.id]);
        const e = await approvals.decideApproval({ id: expiring.approval!.id, decision: 'approve', decider: approver });
        expect(e.status).toBe('expired');
        expect(await state(ctx.db, c.orderId)).toBe(before);

        const swept = await ask(c.tool, c.input, `t-${c.tool}-3`);
        const expired = await approvals.expireApprovals(new Date(Date.now() + (config.APPROVAL_TTL_MINUTES + 1) * 60_000));
        expect(expired.map((a) => a.id)).toContain(swept.approval!.id);
        expect((await approvals.decideApproval({ id: swept.approval!.id, decision: 'approve', decider: approver })).status).toBe('expired');
        expect(await state(ctx.db, c.orderId)).toBe(before);

        const approved = await ask(c.tool, c.input, `t-${c.tool}-4`);
        const auditBefore = await agentAuditCount(ctx.db);
        const [a, b] = await Promise.all([
          approvals.decideApproval({ id: approved.approval!.id, decision: 'approve', decider: approver }),
          approvals.decideApproval({ id: approved.approval!.id, decision: 'approve', decider: second }),
        ]);
        const ran = [a, b].filter((x) => !x.alreadyDecided);
        expect(ran).toHaveLength(1);
        expect(ran[0]!.status).toBe('executed');
        expect([a.status, b.status]).toEqual(['executed', 'executed']);
        expect(await state(ctx.db, c.orderId)).not.toBe(before);
        const written = (await agentAuditCount(ctx.db)) - auditBefore;
        // One run of the action writes these audit rows; a second run would add as many again.
        expect(written).toBeGreaterThan(0);
        const { rows } = await ctx.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM idempotency_keys WHERE scope = 'approval' AND key = $1`,
          [approved.approval!.idempotencyKey],
        );
        expect(rows[0]!.n).toBe(1);
        const third = await approvals.decideApproval({ id: approved.approval!.id, decision: 'approve', decider: approver });
        expect(third.alreadyDecided).toBe(true);
        expect((await agentAuditCount(ctx.db)) - auditBefore).toBe(written);
      });
    });
  }

  it('refuses a decision from someone who is not an approver, and the requester deciding their own request', async () => {
    const req = await ask('cancel_order', { order_id: '#W2000001', reason: 'no longer needed' }, 't-authz');
    await expect(approvals.decideApproval({ id: req.approval!.id, decision: 'approve', decider: { kind: 'person', id: 'U_RANDOM' } })).rejects.toThrow(
      /not allowed/,
    );
    const selfApprover = createApprovalService({ db: ctx.db, config: { ...config, APPROVERS: [requester.id] } });
    await expect(selfApprover.decideApproval({ id: req.approval!.id, decision: 'approve', decider: requester })).rejects.toThrow(/cannot decide/);
    expect((await approvals.getApproval(req.approval!.id))!.status).toBe('pending');
  });

  it('runs a refund under the threshold at once, without approval', async () => {
    const out = await ask('refund_order', { order_id: '#W1000002', amount: 5, reason: 'late delivery goodwill' }, 't-small-refund');
    expect(out.approval).toBeUndefined();
    expect(out.isError).toBe(false);
    expect(JSON.parse(out.content).refunded).toBe(5);
  });

  it('returns an error result instead of an approval when the action would fail anyway', async () => {
    const out = await ask('cancel_order', { order_id: '#W1000003', reason: 'no longer needed' }, 't-would-fail');
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/non-pending order cannot be cancelled/);
    expect(out.approval).toBeUndefined();
  });

  it('returns unknown tools and bad arguments as error results', async () => {
    const unknown = await ask('drop_database', {}, 't-bad');
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.content).toMatch(/unknown tool "drop_database"/);
    const bad = await ask('cancel_order', { order_id: '#W1000001', reason: 'because' }, 't-bad');
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/reason/);
  });
});
