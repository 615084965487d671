import { expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { proposeInventoryRepair } from '../../src/cli/propose-inventory-repair.js';
import { loadConfig } from '../../src/config/config.js';
import { systemActor } from '../../src/domain/actor.js';
import { checkInventoryIntegrity } from '../../src/domain/inventory/check-inventory-integrity.js';
import { reserve } from '../../src/domain/inventory/reserve.js';
import { insertTestOrder, seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', APPROVERS: 'U-LEAD' } as NodeJS.ProcessEnv);
const operator = { kind: 'person' as const, id: 'cli:ops' };
const lead = { kind: 'person' as const, id: 'U-LEAD' };

describeEachDb('inventory repair as one approval', (ctx) => {
  it('proposes every fix as one approval that applies them once when approved', async () => {
    await seedTestCatalog(ctx.db, 'p-rep', [{ sku: 'REP-1', price: '5.00', stock: { 'loc-east-wh': 6 } }]);
    await insertTestOrder(ctx.db, '#W0000501');
    await reserve(ctx.db, { variantId: 'v-REP-1', locationId: 'loc-east-wh', quantity: 2, orderId: '#W0000501', actor: systemActor('test') });
    await ctx.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = '#W0000501'`);
    await ctx.db.query(`UPDATE inventory_levels SET on_hand = 9 WHERE variant_id = 'v-REP-1'`);
    const findings = await checkInventoryIntegrity(ctx.db, { stuckTransferDays: 14 });
    expect(findings.map((f) => f.kind)).toEqual(['level_drift', 'reservation_on_closed_order']);

    const proposed = await proposeInventoryRepair(ctx.db, config, findings, operator);
    expect(proposed?.created).toBe(true);
    const approval = proposed!.approval;
    expect(approval).toMatchObject({ tool: 'repair_inventory', status: 'pending' });
    expect(approval.args).toEqual({ fixes: findings.map((f) => f.fix) });
    // The preview ran the repair in a transaction that was rolled back: nothing changed yet.
    expect(await checkInventoryIntegrity(ctx.db, { stuckTransferDays: 14 })).toHaveLength(2);
    expect(JSON.stringify(approval.preview)).toContain('released reservation');

    const again = await proposeInventoryRepair(ctx.db, config, findings, operator);
    expect(again).toMatchObject({ created: false, approval: { id: approval.id } });

    const approvals = createApprovalService({ db: ctx.db, config });
    const decided = await approvals.decideApproval({ id: approval.id, decision: 'approve', decider: lead });
    expect(decided.status).toBe('executed');
    expect(await checkInventoryIntegrity(ctx.db, { stuckTransferDays: 14 })).toEqual([]);

    const twice = await approvals.decideApproval({ id: approval.id, decision: 'approve', decider: lead });
    expect(twice.alreadyDecided).toBe(true);
    const ledger = await ctx.db.query<{ n: number; sum: number }>(
      `SELECT count(*)::int AS n, sum(quantity)::int AS sum FROM inventory_movements WHERE variant_id = 'v-REP-1'`,
    );
    expect(ledger.rows[0]).toEqual({ n: 2, sum: 9 });
    const repaired = await ctx.db.query(`SELECT 1 FROM audit_log WHERE action = 'inventory.repaired'`);
    expect(repaired.rows).toHaveLength(1);
  });

  it('proposes nothing when no finding has an automatic fix', async () => {
    expect(await proposeInventoryRepair(ctx.db, config, [], operator)).toBeNull();
  });
});
