import { beforeAll, expect, it } from 'vitest';
import { createAgentService, type AgentService } from '../../src/agent/agent-service.js';
import { createApprovalService, type ApprovalService } from '../../src/agent/approval-service.js';
import { ScriptedProvider } from '../../src/agent/providers/scripted-provider.js';
import { executeToolCall } from '../../src/agent/tool-executor.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';
import { slackRequesterVerification } from '../../src/channels/slack/slack-requester-verification.js';

/**
 * An approval limit is a limit on a running total, not on one call: three -50 adjustments do not
 * pass a 50-unit gate, and three small refunds do not pass a refund gate.
 */
const config = loadConfig({
  APPROVERS: 'U_APPROVER',
  APPROVAL_STOCK_ADJUST_THRESHOLD: '50',
  APPROVAL_REFUND_THRESHOLD: '25',
} as NodeJS.ProcessEnv);
const requester = { kind: 'person' as const, id: 'U_OPS' };
const approver = { kind: 'person' as const, id: 'U_APPROVER' };
const EAST = 'loc-east-wh';
const WEST = 'loc-west-wh';

async function onHand(db: Db, sku: string, location: string): Promise<number> {
  const { rows } = await db.query<{ on_hand: number }>(
    'SELECT on_hand FROM inventory_levels WHERE variant_id = $1 AND location_id = $2',
    [`v-${sku}`, location],
  );
  return rows[0]!.on_hand;
}

async function refunded(db: Db, orderId: string): Promise<number> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT COALESCE(sum(amount), 0)::text AS total FROM payments WHERE order_id = $1 AND kind = 'refund'`,
    [orderId],
  );
  return Number(rows[0]!.total);
}

type ToolCall = { name: string; input: Record<string, unknown> };

const adjust = (sku: string, location: string, quantity: number, reason: string): ToolCall => ({
  name: 'adjust_stock',
  input: { sku, location_id: location, quantity, reason },
});
const refund = (orderId: string, amount: number, reason: string): ToolCall => ({ name: 'refund_order', input: { order_id: orderId, amount, reason } });

describeEachDb('split thresholds', (ctx) => {
  let approvals: ApprovalService;

  /** One ops turn in its own thread that makes the given calls in one model step. */
  async function turn(thread: string, calls: ToolCall[]) {
    const agent: AgentService = createAgentService({ db: ctx.db, config, provider: new ScriptedProvider([{ toolCalls: calls }, { text: 'Done.' }]) });
    return agent.runTurn({ channel: 'slack', threadKey: thread, text: 'please do it', requester, verification: slackRequesterVerification(requester.id), persona: 'ops' });
  }

  const call = (thread: string, c: ToolCall) =>
    executeToolCall(
      {
        toolset: opsToolset(),
        ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
        approvals,
        requester,
        verification: slackRequesterVerification(requester.id),
        origin: { channel: 'slack', threadKey: thread },
      },
      { id: `toolu_${thread}`, ...c },
    );

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    const stock = { [EAST]: 300, [WEST]: 300 };
    await seedTestCatalog(ctx.db, 'p-split', ['SPLIT-1', 'SPLIT-2', 'SPLIT-3', 'SPLIT-4', 'SPLIT-5'].map((sku) => ({ sku, price: '5.00', stock })));
    approvals = createApprovalService({ db: ctx.db, config });
  });

  it('three -50 adjustments of one SKU at one location: the first runs, the one that crosses the limit and the one after it wait', async () => {
    const result = await turn('t-three-adjustments', [
      adjust('SPLIT-1', EAST, -50, 'water damage'),
      adjust('SPLIT-1', EAST, -50, 'shrinkage'),
      adjust('SPLIT-1', EAST, -50, 'cycle count'),
    ]);
    expect(result.toolCalls.map((c) => c.approvalId !== undefined)).toEqual([false, true, true]);
    expect(await onHand(ctx.db, 'SPLIT-1', EAST)).toBe(250);
    const [second, third] = result.approvals;
    expect(second!.reason).toBe('brings adjustments of SKU SPLIT-1 at loc-east-wh in 24 h to 100 units, over the 50-unit limit');
    expect(third!.reason).toBe('brings adjustments of SKU SPLIT-1 at loc-east-wh in 24 h to 150 units, over the 50-unit limit');

    // Once approved, the waiting adjustment is in the ledger and counted there, not twice.
    const decided = await approvals.decideApproval({ id: second!.id, decision: 'approve', decider: approver });
    expect(decided.status).toBe('executed');
    expect(await onHand(ctx.db, 'SPLIT-1', EAST)).toBe(200);
    const small = await call('t-after-approval', adjust('SPLIT-1', EAST, -1, 'one more broken'));
    expect(small.approval?.reason).toBe('brings adjustments of SKU SPLIT-1 at loc-east-wh in 24 h to 151 units, over the 50-unit limit');
    expect(JSON.parse(small.content)).toMatchObject({ status: 'pending_approval', why: small.approval!.reason });
  });

  it('refunds split across calls on one order: the one that takes the order over the limit waits, and approved refunds keep counting', async () => {
    const first = await turn('t-refund-1', [refund('#W1000009', 20, 'late delivery goodwill')]);
    expect(first.approvals).toHaveLength(0);
    expect(await refunded(ctx.db, '#W1000009')).toBe(20);

    const second = await turn('t-refund-2', [refund('#W1000009', 20, 'scratched base')]);
    expect(second.approvals).toHaveLength(1);
    expect(second.approvals[0]!.reason).toBe('brings refunds on order #W1000009 to 40.00, over the 25.00 limit');
    expect(await refunded(ctx.db, '#W1000009')).toBe(20);

    // A refund waiting for approval counts too: a small one next to it still waits.
    const third = await call('t-refund-3', refund('W1000009', 4, 'shipping fee'));
    expect(third.approval?.reason).toBe('brings refunds on order #W1000009 to 44.00, over the 25.00 limit');
    await approvals.decideApproval({ id: second.approvals[0]!.id, decision: 'approve', decider: approver });
    await approvals.decideApproval({ id: third.approval!.id, decision: 'reject', decider: approver });
    expect(await refunded(ctx.db, '#W1000009')).toBe(40);
    const fourth = await call('t-refund-4', refund('#W1000009', 1, 'rounding'));
    expect(fourth.approval?.reason).toBe('brings refunds on order #W1000009 to 41.00, over the 25.00 limit');

    // Another order has a total of its own.
    const other = await call('t-refund-other', refund('#W1000006', 10, 'late delivery goodwill'));
    expect(other.approval).toBeUndefined();
    expect(other.isError).toBe(false);
  });

  it('adjustments older than 24 hours do not count, the last 24 hours do', async () => {
    expect((await call('t-old-1', adjust('SPLIT-2', EAST, -50, 'water damage'))).approval).toBeUndefined();
    await ctx.db.query(
      `UPDATE inventory_movements SET created_at = now() - interval '25 hours' WHERE variant_id = 'v-SPLIT-2' AND kind = 'adjustment'`,
    );
    expect((await call('t-old-2', adjust('SPLIT-2', EAST, 50, 'found a carton'))).approval).toBeUndefined();
    const over = await call('t-old-3', adjust('SPLIT-2', EAST, -10, 'shrinkage'));
    expect(over.approval?.reason).toBe('brings adjustments of SKU SPLIT-2 at loc-east-wh in 24 h to 60 units, over the 50-unit limit');
    expect(await onHand(ctx.db, 'SPLIT-2', EAST)).toBe(300);
  });

  it('adjustments of other SKUs and at other locations do not count', async () => {
    expect((await call('t-other-1', adjust('SPLIT-3', EAST, -50, 'water damage'))).approval).toBeUndefined();
    expect((await call('t-other-2', adjust('SPLIT-3', WEST, -50, 'water damage'))).approval).toBeUndefined();
    expect((await call('t-other-3', adjust('SPLIT-4', EAST, -50, 'water damage'))).approval).toBeUndefined();
    const over = await call('t-other-4', adjust('SPLIT-3', EAST, -1, 'one more'));
    expect(over.approval?.reason).toBe('brings adjustments of SKU SPLIT-3 at loc-east-wh in 24 h to 51 units, over the 50-unit limit');
  });

  it('two calls at the same instant: one runs, the other waits for approval', async () => {
    const [a, b] = await Promise.all([
      call('t-race-1', adjust('SPLIT-5', EAST, -30, 'water damage')),
      call('t-race-2', adjust('SPLIT-5', EAST, -30, 'shrinkage')),
    ]);
    expect([a, b].filter((o) => o.approval).length).toBe(1);
    expect([a, b].filter((o) => !o.approval && !o.isError).length).toBe(1);
    expect(await onHand(ctx.db, 'SPLIT-5', EAST)).toBe(270);

    const [r, s] = await Promise.all([
      call('t-race-3', refund('#W2000002', 15, 'late delivery goodwill')),
      call('t-race-4', refund('#W2000002', 15, 'scratched')),
    ]);
    expect([r, s].filter((o) => o.approval).length).toBe(1);
    expect(await refunded(ctx.db, '#W2000002')).toBe(15);
  });
});
