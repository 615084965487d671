import { expect, it } from 'vitest';
import { insertTestOrder, seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { systemActor } from '../actor.js';
import type { DomainError } from '../domain-error.js';
import { applyInventoryRepairs } from './apply-inventory-repairs.js';
import { checkInventoryIntegrity } from './check-inventory-integrity.js';
import { reserve } from './reserve.js';
import { transferStock } from './transfer-stock.js';

const actor = systemActor('test');
const options = { stuckTransferDays: 14 };

describeEachDb('inventory integrity check', (ctx) => {
  const check = async (sku: string) => (await checkInventoryIntegrity(ctx.db, options)).filter((f) => f.sku === sku);

  it('finds nothing on stock written through the ledger and reservations', async () => {
    await seedTestCatalog(ctx.db, 'p-ok', [{ sku: 'OK-1', price: '5.00', stock: { 'loc-east-wh': 5, 'loc-west-wh': 3 } }]);
    await insertTestOrder(ctx.db, '#W0000401');
    await reserve(ctx.db, { variantId: 'v-OK-1', locationId: 'loc-east-wh', quantity: 5, orderId: '#W0000401', actor });
    await transferStock(ctx.db, { sku: 'OK-1', fromLocationId: 'loc-west-wh', toLocationId: 'loc-east-wh', quantity: 2 }, actor);
    expect(await check('OK-1')).toEqual([]);
  });

  it('reports drift and negative on hand with the amounts, and repairs them so the ledger sums to the level', async () => {
    await seedTestCatalog(ctx.db, 'p-neg', [{ sku: 'NEG-1', price: '5.00', stock: { 'loc-east-wh': 4 } }]);
    // A write that bypassed the ledger, as an old import script did.
    await ctx.db.query(`UPDATE inventory_levels SET on_hand = -2 WHERE variant_id = 'v-NEG-1' AND location_id = 'loc-east-wh'`);
    const findings = await check('NEG-1');
    expect(findings.map((f) => [f.kind, f.units, f.problem])).toEqual([
      ['negative_on_hand', 2, 'NEG-1 at loc-east-wh: on hand is -2'],
      ['level_drift', 6, 'NEG-1 at loc-east-wh: on hand is -2 but its movements add up to 4'],
    ]);
    expect(findings.map((f) => f.fix)).toEqual([
      { action: 'count_to_zero', variant_id: 'v-NEG-1', location_id: 'loc-east-wh', quantity: 2 },
      { action: 'record_missing_movement', variant_id: 'v-NEG-1', location_id: 'loc-east-wh', quantity: -6, on_hand: -2 },
    ]);
    await applyInventoryRepairs(ctx.db, findings.map((f) => f.fix!), actor);
    expect(await check('NEG-1')).toEqual([]);
    const level = await ctx.db.query<{ on_hand: number; ledger: number }>(
      `SELECT l.on_hand, (SELECT sum(quantity)::int FROM inventory_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id) AS ledger
         FROM inventory_levels l WHERE l.variant_id = 'v-NEG-1'`,
    );
    expect(level.rows).toEqual([{ on_hand: 0, ledger: 0 }]);
    const again = await applyInventoryRepairs(ctx.db, findings.map((f) => f.fix!), actor).catch((e: unknown) => e as DomainError);
    expect((again as DomainError).code).toBe('fix_not_proposed');
  });

  it('reports reservations whose line is gone or changed, on cancelled and on shipped orders, and more reserved than on hand', async () => {
    await seedTestCatalog(ctx.db, 'p-res', [{ sku: 'RSV-1', price: '5.00', stock: { 'loc-west-3pl': 10 } }, { sku: 'RSV-2', price: '5.00' }]);
    for (const id of ['#W0000411', '#W0000412', '#W0000413', '#W0000414']) await insertTestOrder(ctx.db, id);
    const { rows: lines } = await ctx.db.query<{ id: number }>(
      `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, price, quantity)
       VALUES ('#W0000411', 1, 'p-res', 'v-RSV-1', 'RSV', 5, 2) RETURNING id`,
    );
    const line = lines[0]!.id;
    const at = { variantId: 'v-RSV-1', locationId: 'loc-west-3pl', actor };
    const changed = await reserve(ctx.db, { ...at, quantity: 2, orderId: '#W0000411', orderLineId: line });
    const foreign = await reserve(ctx.db, { ...at, quantity: 1, orderId: '#W0000412', orderLineId: line });
    const cancelled = await reserve(ctx.db, { ...at, quantity: 3, orderId: '#W0000413' });
    const shipped = await reserve(ctx.db, { ...at, quantity: 4, orderId: '#W0000414' });
    // The line was switched to another variant without re-reserving, and two orders closed with units still held.
    await ctx.db.query(`UPDATE order_lines SET variant_id = 'v-RSV-2' WHERE id = $1`, [line]);
    await ctx.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = '#W0000413'`);
    await ctx.db.query(`UPDATE orders SET status = 'delivered' WHERE id = '#W0000414'`);
    await ctx.db.query(`UPDATE inventory_levels SET on_hand = 8 WHERE variant_id = 'v-RSV-1'`);
    await ctx.db.query(
      `INSERT INTO inventory_movements (variant_id, location_id, quantity, kind, reason, actor) VALUES ('v-RSV-1', 'loc-west-3pl', -2, 'adjustment', 'x', 'test')`,
    );

    const findings = await check('RSV-1');
    expect(findings.map((f) => [f.kind, f.reservation_id ?? null, f.units, f.fix?.action ?? null])).toEqual([
      ['over_reserved', null, 2, null],
      ['orphaned_reservation', changed.reservationId, 2, 'release_reservation'],
      ['orphaned_reservation', foreign.reservationId, 1, 'release_reservation'],
      ['reservation_on_closed_order', cancelled.reservationId, 3, 'release_reservation'],
      ['reservation_on_closed_order', shipped.reservationId, 4, 'fulfil_reservation'],
    ]);
    expect(findings[0]!.problem).toBe('RSV-1 at loc-west-3pl: 10 reserved but only 8 on hand');
    expect(findings[1]!.problem).toBe(
      `reservation ${changed.reservationId} holds 2 of RSV-1 at loc-west-3pl for order #W0000411 but its order line ${line} is now for variant v-RSV-2`,
    );
    expect(findings[2]!.problem).toContain(`but its order line ${line} belongs to order #W0000411`);
    expect(findings[3]!.proposed_fix).toBe(`release reservation ${cancelled.reservationId}`);
    expect(findings[4]!.proposed_fix).toBe(`close reservation ${shipped.reservationId} as fulfilled and book the sale of 4`);

    await applyInventoryRepairs(ctx.db, findings.flatMap((f) => (f.fix ? [f.fix] : [])), actor);
    expect(await check('RSV-1')).toEqual([]);
    const sale = await ctx.db.query(`SELECT 1 FROM inventory_movements WHERE order_id = '#W0000414' AND kind = 'sale' AND quantity = -4`);
    expect(sale.rows).toHaveLength(1);
  });

  it('refuses a fix that matches no current finding and changes nothing; a matching one applies once', async () => {
    await seedTestCatalog(ctx.db, 'p-live', [{ sku: 'LIVE-1', price: '5.00', stock: { 'loc-east-wh': 6 } }]);
    await insertTestOrder(ctx.db, '#W0000421');
    await insertTestOrder(ctx.db, '#W0000422');
    const at = { variantId: 'v-LIVE-1', locationId: 'loc-east-wh', actor };
    const live = await reserve(ctx.db, { ...at, quantity: 2, orderId: '#W0000421' });
    const shipped = await reserve(ctx.db, { ...at, quantity: 1, orderId: '#W0000422' });
    await ctx.db.query(`UPDATE orders SET status = 'shipped' WHERE id = '#W0000422'`);
    const state = async () =>
      (
        await ctx.db.query(
          `SELECT (SELECT json_agg(r.status ORDER BY r.id) FROM reservations r WHERE r.variant_id = 'v-LIVE-1') AS reservations,
                  (SELECT count(*)::int FROM inventory_movements m WHERE m.variant_id = 'v-LIVE-1') AS movements`,
        )
      ).rows[0];
    const before = await state();

    // The live order has nothing wrong with it: fulfilling its reservation would sell its stock early.
    const early = { action: 'fulfil_reservation' as const, reservation_id: live.reservationId, order_id: '#W0000421' };
    const matching = { action: 'fulfil_reservation' as const, reservation_id: shipped.reservationId, order_id: '#W0000422' };
    const refused = await applyInventoryRepairs(ctx.db, [matching, early], actor).catch((e: unknown) => e as DomainError);
    expect(refused).toMatchObject({ code: 'fix_not_proposed' });
    expect((refused as DomainError).message).toContain(`fulfil_reservation of reservation ${live.reservationId}`);
    const released = await applyInventoryRepairs(ctx.db, [{ ...early, action: 'release_reservation' }], actor).catch((e: unknown) => e as DomainError);
    expect(released).toMatchObject({ code: 'fix_not_proposed' });
    expect(await state()).toEqual(before);

    expect(await applyInventoryRepairs(ctx.db, [matching], actor)).toHaveLength(1);
    const twice = await applyInventoryRepairs(ctx.db, [matching], actor).catch((e: unknown) => e as DomainError);
    expect(twice).toMatchObject({ code: 'fix_not_proposed' });
    const sales = await ctx.db.query(`SELECT order_id, quantity FROM inventory_movements WHERE variant_id = 'v-LIVE-1' AND kind = 'sale'`);
    expect(sales.rows).toEqual([{ order_id: '#W0000422', quantity: -1 }]);
    expect(await check('LIVE-1')).toEqual([]);
  });

  it('reports a transfer in transit past the limit as stuck', async () => {
    await seedTestCatalog(ctx.db, 'p-stk', [{ sku: 'STK-1', price: '5.00', stock: { 'loc-east-wh': 5 } }]);
    const t = await transferStock(ctx.db, { sku: 'STK-1', fromLocationId: 'loc-east-wh', toLocationId: 'loc-west-wh', quantity: 5 }, actor);
    expect(await check('STK-1')).toEqual([]);
    const later = new Date(Date.now() + 20 * 86_400_000);
    const findings = (await checkInventoryIntegrity(ctx.db, { ...options, now: later })).filter((f) => f.sku === 'STK-1');
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'transfer_stuck',
        transfer_id: t.id,
        units: 5,
        location_id: 'loc-west-wh',
        fix: null,
        problem: `transfer ${t.id} of 5 STK-1 from loc-east-wh to loc-west-wh has been in transit 20 days`,
      }),
    ]);
  });
});
