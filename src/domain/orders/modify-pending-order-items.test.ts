import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture, type TauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { modifyPendingOrderItems, type ModifyPendingOrderItemsArgs } from './modify-pending-order-items.js';
import { toRetailOrder } from './order-repository.js';

const actor: Actor = { kind: 'agent', id: 'test' };
const lines = (o: { lines: { variantId: string; priceCents: number; options: Record<string, string> }[] }) =>
  o.lines.map((l) => [l.variantId, l.priceCents, l.options]);

describeEachDb('modifyPendingOrderItems', (ctx) => {
  it('swaps an item, charges the difference and marks the order modified', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.paypalA }, actor);
    expect(order.status).toBe('pending (item modified)');
    expect(lines(order)).toEqual([
      [f.L2, 7196, { color: 'blue' }],
      [f.M1, 1010, { size: 'small' }],
      [f.M1, 1010, { size: 'small' }],
    ]);
    expect(toRetailOrder(order).payment_history.at(-1)).toEqual({ transaction_type: 'payment', amount: 21.96, payment_method_id: f.paypalA });
  });

  it('pays from a gift card holding exactly the difference (exact cents, no float noise)', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE payment_methods SET balance = 21.96 WHERE id = $1', [f.giftA]);
    const order = await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.giftA }, actor);
    expect(order.payments.at(-1)).toMatchObject({ kind: 'payment', amountCents: 2196, paymentMethodId: f.giftA });
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 0 });
  });

  it('refunds a cheaper swap to the gift card and swaps duplicates one unit at a time', async () => {
    const f = await seedTauFixture(ctx.db);
    // 2 × (10.10 → 12.25) = +4.30 and 50.00 → 50.00 = 0: a payment of 4.30
    const order = await modifyPendingOrderItems(
      ctx.db,
      { orderId: f.pendingCard, itemIds: [f.M1, f.M1, f.L1], newItemIds: [f.M2, f.M2, f.L1], paymentMethodId: f.giftA },
      actor,
    );
    expect(lines(order).map((l) => l[0])).toEqual([f.L1, f.M2, f.M2]);
    expect(order.payments.at(-1)).toMatchObject({ kind: 'payment', amountCents: 430 });
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 55.7 });
  });

  it('records a zero difference as a refund of 0 and follows renames made by earlier pairs', async () => {
    const f = await seedTauFixture(ctx.db);
    // M1 → M2 renames the first unit; the next pair then finds that unit as the first M2 and
    // renames it back, so the second unit is never touched (as in the reference).
    const order = await modifyPendingOrderItems(
      ctx.db,
      { orderId: f.benPending, itemIds: [f.M1, f.M2], newItemIds: [f.M2, f.M1], paymentMethodId: f.giftB },
      actor,
    );
    expect(lines(order).map((l) => l[0])).toEqual([f.M1, f.M2]);
    expect(order.payments.at(-1)).toMatchObject({ kind: 'refund', amountCents: 0, paymentMethodId: f.giftB });
    expect((await getCustomerDetails(ctx.db, f.ben))!.payment_methods[f.giftB]).toMatchObject({ balance: 10 });
  });

  it('splits a line of several units when only some of them change', async () => {
    const f = await seedTauFixture(ctx.db);
    // Lines from other channels carry quantities; tau-retail lines are always single units.
    await ctx.db.query('DELETE FROM order_lines WHERE order_id = $1 AND position = 2', [f.pendingCard]);
    await ctx.db.query('UPDATE order_lines SET quantity = 2 WHERE order_id = $1 AND position = 1', [f.pendingCard]);
    const order = await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.M1], newItemIds: [f.M2], paymentMethodId: f.cardA }, actor);
    expect(order.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [f.L1, 1],
      [f.M1, 1],
      [f.M2, 1],
    ]);
  });

  const refusals: [string, (f: TauFixture) => ModifyPendingOrderItemsArgs, (f: TauFixture) => string][] = [
    ['an unknown order', (f) => ({ orderId: '#W9', itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.cardA }), () => 'order not found'],
    ['a processed order', (f) => ({ orderId: f.processed, itemIds: [f.M2], newItemIds: [f.M1], paymentMethodId: f.cardA }), () => 'non-pending order cannot be modified'],
    ['an item the order does not hold', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1, f.M2], newItemIds: [f.L2, f.M1], paymentMethodId: f.cardA }), (f) => `${f.M2} not found`],
    ['more units than the order holds', (f) => ({ orderId: f.pendingCard, itemIds: [f.M1, f.M1, f.M1], newItemIds: [f.M2, f.M2, f.M2], paymentMethodId: f.cardA }), (f) => `${f.M1} not found`],
    ['lists of different lengths', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1, f.M1], newItemIds: [f.L2], paymentMethodId: f.cardA }), () => 'the number of items to be exchanged should match'],
    ['an unavailable variant', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L3], paymentMethodId: f.cardA }), (f) => `new item ${f.L3} not found or available`],
    ['a variant of another product', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.M2], paymentMethodId: f.cardA }), (f) => `new item ${f.M2} not found or available`],
    ['an unknown variant', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1], newItemIds: ['0000'], paymentMethodId: f.cardA }), () => 'new item 0000 not found or available'],
    ["another customer's method", (f) => ({ orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.giftB }), () => 'payment method not found'],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const f = await seedTauFixture(ctx.db);
      const a = args(f);
      await expectRefusedUnchanged(ctx.db, () => modifyPendingOrderItems(ctx.db, a, actor), message(f), {
        orderId: a.orderId.length > 3 ? a.orderId : f.pendingCard,
        customerId: f.ana,
      });
    });
  }

  it('refuses a gift card whose balance is a cent short', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE payment_methods SET balance = 21.95 WHERE id = $1', [f.giftA]);
    await expectRefusedUnchanged(
      ctx.db,
      () => modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.giftA }, actor),
      'insufficient gift card balance to pay for the new item',
      { orderId: f.pendingCard, customerId: f.ana },
    );
  });

  it('can modify an order once only', async () => {
    const f = await seedTauFixture(ctx.db);
    await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.cardA }, actor);
    await expectRefusedUnchanged(
      ctx.db,
      () => modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.M1], newItemIds: [f.M2], paymentMethodId: f.cardA }, actor),
      'non-pending order cannot be modified',
      { orderId: f.pendingCard, customerId: f.ana },
    );
  });
});
