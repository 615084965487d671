import { beforeAll, expect, it } from 'vitest';
import { seedTestCatalog } from '../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { createApprovalService, type ApprovalService } from '../agent/approval-service.js';
import { executeToolCall } from '../agent/tool-executor.js';
import { loadConfig } from '../config/config.js';
import type { Db } from '../db/db.js';
import { opsToolset } from './ops-toolset.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER,U_SECOND', APPROVAL_STOCK_ADJUST_THRESHOLD: '10' } as NodeJS.ProcessEnv);
const requester = { kind: 'person' as const, id: 'U_REQUESTER' };

async function onHand(db: Db): Promise<number> {
  const { rows } = await db.query<{ on_hand: number }>(
    `SELECT on_hand FROM inventory_levels WHERE variant_id = 'v-ADJ-1' AND location_id = 'loc-east-wh'`,
  );
  return rows[0]!.on_hand;
}

async function adjustments(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM inventory_movements WHERE variant_id = 'v-ADJ-1' AND kind = 'adjustment'`,
  );
  return rows[0]!.n;
}

describeEachDb('adjust_stock tool', (ctx) => {
  let approvals: ApprovalService;
  const ask = (quantity: number, thread: string) =>
    executeToolCall(
      {
        toolset: opsToolset(),
        ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
        approvals,
        requester,
        verification: { verified: true, summary: 'Slack user U_REQUESTER (signed request)' },
        origin: { channel: 'slack', threadKey: thread },
      },
      { id: 'toolu_1', name: 'adjust_stock', input: { sku: 'ADJ-1', location_id: 'loc-east-wh', quantity, reason: 'cycle count' } },
    );

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-adj', [{ sku: 'ADJ-1', price: '5.00', stock: { 'loc-east-wh': 100 } }]);
    approvals = createApprovalService({ db: ctx.db, config });
  });

  it('runs an adjustment within the limit at once, through the ledger', async () => {
    const out = await ask(-3, 't-small');
    expect(out.isError).toBe(false);
    expect(out.approval).toBeUndefined();
    expect(await onHand(ctx.db)).toBe(97);
    expect(await adjustments(ctx.db)).toBe(1);
  });

  it('holds a large adjustment for approval, previews it, and applies it once', async () => {
    const rejected = await ask(-40, 't-big-1');
    expect(rejected.approval?.status).toBe('pending');
    expect(rejected.approval!.preview.changes).toEqual([{ field: 'stock ADJ-1 at loc-east-wh', before: 97, after: 57 }]);
    expect(await onHand(ctx.db)).toBe(97);
    await approvals.decideApproval({ id: rejected.approval!.id, decision: 'reject', decider: { kind: 'person', id: 'U_APPROVER' } });
    expect(await onHand(ctx.db)).toBe(97);

    const approved = await ask(-40, 't-big-2');
    await Promise.all([
      approvals.decideApproval({ id: approved.approval!.id, decision: 'approve', decider: { kind: 'person', id: 'U_APPROVER' } }),
      approvals.decideApproval({ id: approved.approval!.id, decision: 'approve', decider: { kind: 'person', id: 'U_SECOND' } }),
    ]);
    expect(await onHand(ctx.db)).toBe(57);
    expect(await adjustments(ctx.db)).toBe(2);
  });

  it('refuses an unknown SKU as a tool error', async () => {
    const out = await executeToolCall(
      { toolset: opsToolset(), ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'a' }, persona: 'ops' }, approvals, requester, verification: { verified: true, summary: 'local terminal operator' }, origin: { channel: 'cli', threadKey: 'x' } },
      { id: 't', name: 'adjust_stock', input: { sku: 'NOPE', location_id: 'loc-east-wh', quantity: 1, reason: 'count' } },
    );
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/SKU NOPE not found/);
  });
});
