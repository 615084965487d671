import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture, type TauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { toRetailOrder } from './order-repository.js';
import { returnDeliveredOrderItems, type ReturnDeliveredOrderItemsArgs } from './return-delivered-order-items.js';

const actor: Actor = { kind: 'agent', id: 'test' };

describeEachDb('returnDeliveredOrderItems', (ctx) => {
  it('opens a return to the original method without refunding anything yet', async () => {
    const f = await seedTauFixture(ctx.db);
    const customerBefore = await getCustomerDetails(ctx.db, f.ana);
    const order = await returnDeliveredOrderItems(ctx.db, { orderId: f.delivered, itemIds: [f.M1, f.L1], paymentMethodId: f.cardA }, actor);
    const retail = toRetailOrder(order);
    expect(retail.status).toBe('return requested');
    expect(retail.return_items).toEqual([f.L1, f.M1].sort());
    expect(retail.return_payment_method_id).toBe(f.cardA);
    expect(retail.payment_history).toHaveLength(1);
    expect(await getCustomerDetails(ctx.db, f.ana)).toEqual(customerBefore);
  });

  it('accepts any of the customer’s gift cards, and an empty list', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await returnDeliveredOrderItems(ctx.db, { orderId: f.delivered, itemIds: [], paymentMethodId: f.giftA }, actor);
    expect(order.returnItems).toEqual([]);
    expect(order.returnPaymentMethodId).toBe(f.giftA);
  });

  const refusals: [string, (f: TauFixture) => ReturnDeliveredOrderItemsArgs, string][] = [
    ['an unknown order', (f) => ({ orderId: '#W1', itemIds: [f.L1], paymentMethodId: f.cardA }), 'order not found'],
    ['a pending order', (f) => ({ orderId: f.pendingCard, itemIds: [f.L1], paymentMethodId: f.cardA }), 'non-delivered order cannot be returned'],
    ["another customer's method", (f) => ({ orderId: f.delivered, itemIds: [f.L1], paymentMethodId: f.giftB }), 'payment method not found'],
    [
      'a method that is neither the original nor a gift card',
      (f) => ({ orderId: f.delivered, itemIds: [f.L1], paymentMethodId: f.paypalA }),
      'payment method should be either the original payment method or a gift card',
    ],
    ['an item the order does not hold', (f) => ({ orderId: f.delivered, itemIds: [f.L1, f.M2], paymentMethodId: f.cardA }), 'some item not found'],
    ['more units than delivered', (f) => ({ orderId: f.delivered, itemIds: [f.L1, f.L1], paymentMethodId: f.cardA }), 'some item not found'],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const f = await seedTauFixture(ctx.db);
      const a = args(f);
      await expectRefusedUnchanged(ctx.db, () => returnDeliveredOrderItems(ctx.db, a, actor), message, {
        orderId: a.orderId.length > 3 ? a.orderId : f.delivered,
        customerId: f.ana,
      });
    });
  }

  it('refuses a second return of the same order', async () => {
    const f = await seedTauFixture(ctx.db);
    await returnDeliveredOrderItems(ctx.db, { orderId: f.delivered, itemIds: [f.L1], paymentMethodId: f.cardA }, actor);
    await expectRefusedUnchanged(
      ctx.db,
      () => returnDeliveredOrderItems(ctx.db, { orderId: f.delivered, itemIds: [f.M1], paymentMethodId: f.cardA }, actor),
      'non-delivered order cannot be returned',
      { orderId: f.delivered, customerId: f.ana },
    );
  });
});
