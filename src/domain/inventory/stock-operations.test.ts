import { expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { systemActor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { adjustStock } from './adjust-stock.js';
import { countStock } from './count-stock.js';
import { readStockLevels } from './lock-stock-levels.js';
import { receiveStock } from './receive-stock.js';
import { setStockPolicy } from './set-stock-policy.js';

const actor = systemActor('test');

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DomainError);

describeEachDb('stock operations', (ctx) => {
  const movements = async (variantId: string) =>
    (
      await ctx.db.query<{ kind: string; quantity: number; reason: string }>(
        'SELECT kind, quantity, reason FROM inventory_movements WHERE variant_id = $1 ORDER BY id',
        [variantId],
      )
    ).rows;
  const audits = async (action: string) =>
    (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action])).rows[0]!.n;

  it('receives stock as a receipt movement carrying the reference', async () => {
    await seedTestCatalog(ctx.db, 'p-rcv', [{ sku: 'RCV-1', price: '5.00' }]);
    const r = await receiveStock(ctx.db, { sku: 'RCV-1', locationId: 'loc-east-wh', quantity: 12, reference: 'PO-7781' }, actor);
    expect(r).toMatchObject({ on_hand_before: 0, on_hand_after: 12, quantity: 12, reference: 'PO-7781' });
    expect(await movements('v-RCV-1')).toEqual([{ kind: 'receipt', quantity: 12, reason: 'received: PO-7781' }]);
    expect((await refusal(receiveStock(ctx.db, { sku: 'RCV-1', locationId: 'loc-east-wh', quantity: 0 }, actor)))?.code).toBe('invalid_quantity');
    expect((await refusal(receiveStock(ctx.db, { sku: 'NOPE', locationId: 'loc-east-wh', quantity: 1 }, actor)))?.message).toBe('SKU NOPE not found');
    expect((await refusal(receiveStock(ctx.db, { sku: 'RCV-1', locationId: 'loc-moon', quantity: 1 }, actor)))?.message).toBe('location loc-moon not found');
  });

  it('counts stock: a count movement of the difference, none when the count agrees, a reason always', async () => {
    await seedTestCatalog(ctx.db, 'p-cnt', [{ sku: 'CNT-1', price: '5.00', stock: { 'loc-west-wh': 10 } }]);
    const short = await countStock(ctx.db, { sku: 'CNT-1', locationId: 'loc-west-wh', counted: 7, reason: 'weekly cycle count' }, actor);
    expect(short).toMatchObject({ on_hand_before: 10, difference: -3, counted: 7 });
    const same = await countStock(ctx.db, { sku: 'CNT-1', locationId: 'loc-west-wh', counted: 7, reason: 'recount' }, actor);
    expect(same).toMatchObject({ difference: 0, movement_id: null });
    const found = await countStock(ctx.db, { sku: 'CNT-1', locationId: 'loc-west-wh', counted: 9, reason: 'found a carton' }, actor);
    expect(found.difference).toBe(2);
    expect(await movements('v-CNT-1')).toEqual([
      { kind: 'receipt', quantity: 10, reason: 'test stock' },
      { kind: 'count', quantity: -3, reason: 'counted 7: weekly cycle count' },
      { kind: 'count', quantity: 2, reason: 'counted 9: found a carton' },
    ]);
    expect(await audits('inventory.counted')).toBe(1);
    expect((await refusal(countStock(ctx.db, { sku: 'CNT-1', locationId: 'loc-west-wh', counted: 1, reason: '  ' }, actor)))?.code).toBe(
      'count_reason_required',
    );
    expect((await refusal(countStock(ctx.db, { sku: 'CNT-1', locationId: 'loc-west-wh', counted: -1, reason: 'x' }, actor)))?.code).toBe('invalid_count');
  });

  it('refuses an adjustment without a reason and writes nothing', async () => {
    await seedTestCatalog(ctx.db, 'p-adj', [{ sku: 'ADJ-1', price: '5.00', stock: { 'loc-east-wh': 4 } }]);
    const err = await refusal(adjustStock(ctx.db, { sku: 'ADJ-1', locationId: 'loc-east-wh', quantity: -1, reason: ' ' }, actor));
    expect(err?.code).toBe('adjustment_reason_required');
    expect(await movements('v-ADJ-1')).toHaveLength(1);
    const done = await adjustStock(ctx.db, { sku: 'ADJ-1', locationId: 'loc-east-wh', quantity: -1, reason: 'water damage' }, actor);
    expect(done).toMatchObject({ on_hand_before: 4, on_hand_after: 3, reason: 'water damage' });
  });

  it('holds safety stock back from what can be promised, and keeps the backorder policy', async () => {
    await seedTestCatalog(ctx.db, 'p-pol', [{ sku: 'POL-1', price: '5.00', stock: { 'loc-east-wh': 5, 'loc-west-wh': 2 } }]);
    const policy = await setStockPolicy(ctx.db, { sku: 'POL-1', safetyStock: 3, backorderPolicy: 'allow' }, actor);
    expect(policy).toEqual({ sku: 'POL-1', safety_stock: 3, backorder_policy: 'allow' });
    const levels = await readStockLevels(ctx.db, ['v-POL-1']);
    expect(levels.map((l) => [l.locationId, l.available, l.safetyStock, l.promisable, l.backorderPolicy])).toEqual([
      ['loc-east-wh', 5, 3, 2, 'allow'],
      ['loc-west-wh', 2, 3, 0, 'allow'],
    ]);
    expect(await setStockPolicy(ctx.db, { sku: 'POL-1', backorderPolicy: 'deny' }, actor)).toEqual({
      sku: 'POL-1',
      safety_stock: 3,
      backorder_policy: 'deny',
    });
    expect((await refusal(setStockPolicy(ctx.db, { sku: 'POL-1', safetyStock: -2 }, actor)))?.code).toBe('invalid_safety_stock');
    expect(await audits('inventory.stock_policy_set')).toBe(2);
  });
});
