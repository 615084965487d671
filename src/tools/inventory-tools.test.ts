import { beforeAll, expect, it } from 'vitest';
import { insertTestOrder, seedTestCatalog } from '../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { createApprovalService, type ApprovalService } from '../agent/approval-service.js';
import { executeToolCall } from '../agent/tool-executor.js';
import { loadConfig } from '../config/config.js';
import { reserve } from '../domain/inventory/reserve.js';
import { opsToolset } from './ops-toolset.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER', STOCK_TRANSFER_APPROVAL_UNITS: '10' } as NodeJS.ProcessEnv);
const requester = { kind: 'person' as const, id: 'U_REQUESTER' };
const approver = { kind: 'person' as const, id: 'U_APPROVER' };

describeEachDb('inventory tools', (ctx) => {
  let approvals: ApprovalService;
  const call = (name: string, input: Record<string, unknown>, thread = 't-inv') =>
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
  const stock = async () => JSON.parse((await call('get_stock_by_location', { sku: 'TOOL-1' })).content as string).rows;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-tool', [{ sku: 'TOOL-1', price: '5.00', stock: { 'loc-east-wh': 30, 'loc-west-wh': 4 } }]);
    await ctx.db.query(`UPDATE variants SET safety_stock = 2 WHERE sku = 'TOOL-1'`);
    await insertTestOrder(ctx.db, '#W0000601');
    await reserve(ctx.db, { variantId: 'v-TOOL-1', locationId: 'loc-east-wh', quantity: 5, orderId: '#W0000601', actor: requester });
    approvals = createApprovalService({ db: ctx.db, config });
  });

  it('get_stock_by_location shows on hand, reserved, available, promisable and in transit per location', async () => {
    expect(await stock()).toEqual([
      { sku: 'TOOL-1', location_id: 'loc-east-wh', on_hand: 30, reserved: 5, available: 25, promisable: 23, safety_stock: 2, in_transit: 0 },
      { sku: 'TOOL-1', location_id: 'loc-west-wh', on_hand: 4, reserved: 0, available: 4, promisable: 2, safety_stock: 2, in_transit: 0 },
    ]);
    const none = await call('get_stock_by_location', {});
    expect(none.isError).toBe(true);
  });

  it('list_low_stock lists locations with few units above safety stock, and says when cover cannot be told', async () => {
    const low = async (input: Record<string, unknown>) =>
      (JSON.parse((await call('list_low_stock', input)).content as string).items as { sku: string; location_id: string }[]).filter((i) => i.sku === 'TOOL-1');
    expect(await low({})).toEqual([
      expect.objectContaining({ sku: 'TOOL-1', location_id: 'loc-west-wh', available: 4, safety_stock: 2, daily_velocity: 0, days_of_cover: null }),
    ]);
    expect(await low({ max_available: 1 })).toEqual([]);
    expect(await low({ max_available: 30 })).toHaveLength(2);
  });

  it('transfer_stock runs within the limit and waits for approval above it, counting what already went', async () => {
    const small = await call('transfer_stock', { sku: 'TOOL-1', from_location_id: 'loc-east-wh', to_location_id: 'loc-west-wh', quantity: 6, reason: 'rebalance west' }, 't-a');
    expect(small.isError).toBe(false);
    expect(small.approval).toBeUndefined();
    expect((await stock()).map((r: { location_id: string; on_hand: number; in_transit: number }) => [r.location_id, r.on_hand, r.in_transit])).toEqual([
      ['loc-east-wh', 24, 0],
      ['loc-west-wh', 4, 6],
    ]);

    // 6 already sent + 5 more is over the 10-unit limit.
    const big = await call('transfer_stock', { sku: 'TOOL-1', from_location_id: 'loc-east-wh', to_location_id: 'loc-west-wh', quantity: 5, reason: 'rebalance west' }, 't-b');
    expect(big.approval?.status).toBe('pending');
    expect(big.approval!.reason).toContain('to 11 units, over the 10-unit limit');
    expect(big.approval!.preview.changes).toEqual([{ field: 'transfer of TOOL-1', before: '5 at loc-east-wh', after: '5 in transit to loc-west-wh' }]);
    expect((await stock())[0].on_hand).toBe(24);
    const decided = await approvals.decideApproval({ id: big.approval!.id, decision: 'approve', decider: approver });
    expect(decided.status).toBe('executed');
    expect((await stock())[1].in_transit).toBe(11);
  });

  it('run_stock_check lists findings and repair_inventory always asks for approval', async () => {
    const clean = JSON.parse((await call('run_stock_check', {})).content as string);
    expect(clean).toEqual({ count: 0, findings: [] });
    await ctx.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = '#W0000601'`);
    const found = JSON.parse((await call('run_stock_check', {})).content as string);
    expect(found.findings.map((f: { kind: string }) => f.kind)).toEqual(['reservation_on_closed_order']);
    const repair = await call('repair_inventory', { fixes: found.findings.map((f: { fix: unknown }) => f.fix) }, 't-repair');
    expect(repair.approval?.status).toBe('pending');
    await approvals.decideApproval({ id: repair.approval!.id, decision: 'approve', decider: approver });
    expect(JSON.parse((await call('run_stock_check', {})).content as string).count).toBe(0);
    expect((await stock())[0].reserved).toBe(0);
  });
});
