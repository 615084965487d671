import { expect, it } from 'vitest';
import { insertTestOrder, seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { systemActor } from '../actor.js';
import { recordMovement } from './record-movement.js';
import { reserve } from './reserve.js';

const actor = systemActor('test');

describeEachDb('inventory movements ledger', (ctx) => {
  it('keeps on hand equal to the sum of movements, with an audit row per movement', async () => {
    await seedTestCatalog(ctx.db, 'p-mv', [{ sku: 'MV-1', price: '5.00', stock: { 'loc-east-wh': 10 } }]);
    await recordMovement(ctx.db, { variantId: 'v-MV-1', locationId: 'loc-east-wh', quantity: -3, kind: 'adjustment', reason: 'damaged', actor });
    const moved = await recordMovement(ctx.db, { variantId: 'v-MV-1', locationId: 'loc-east-wh', quantity: 1, kind: 'return', actor });
    expect(moved).toMatchObject({ onHandBefore: 7, onHandAfter: 8 });

    const { rows } = await ctx.db.query<{ on_hand: number; ledger: number; audits: number }>(
      `SELECT l.on_hand,
              (SELECT sum(quantity)::int FROM inventory_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id) AS ledger,
              (SELECT count(*)::int FROM audit_log a WHERE a.entity_id = 'v-MV-1@loc-east-wh') AS audits
         FROM inventory_levels l WHERE l.variant_id = 'v-MV-1' AND l.location_id = 'loc-east-wh'`,
    );
    expect(rows[0]).toEqual({ on_hand: 8, ledger: 8, audits: 3 });
  });

  it('refuses to take on hand below zero or below what is reserved', async () => {
    await seedTestCatalog(ctx.db, 'p-mv2', [{ sku: 'MV-2', price: '5.00', stock: { 'loc-west-wh': 4 } }]);
    await insertTestOrder(ctx.db, '#W3000001');
    await reserve(ctx.db, { variantId: 'v-MV-2', locationId: 'loc-west-wh', quantity: 3, orderId: '#W3000001', actor });
    await expect(
      recordMovement(ctx.db, { variantId: 'v-MV-2', locationId: 'loc-west-wh', quantity: -2, kind: 'adjustment', actor }),
    ).rejects.toThrow('on hand 4, reserved 3');
    await expect(
      recordMovement(ctx.db, { variantId: 'v-MV-2', locationId: 'loc-west-3pl', quantity: -1, kind: 'adjustment', actor }),
    ).rejects.toThrow('only 0 on hand');
    const ledger = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inventory_movements WHERE variant_id = 'v-MV-2'`);
    expect(ledger.rows[0]!.n).toBe(1);
  });

  it('rejects unknown variants and locations by name', async () => {
    await expect(
      recordMovement(ctx.db, { variantId: 'nope', locationId: 'loc-east-wh', quantity: 1, kind: 'receipt', actor }),
    ).rejects.toThrow('variant nope not found');
  });
});
