import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture, type TauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { exchangeDeliveredOrderItems, type ExchangeDeliveredOrderItemsArgs } from './exchange-delivered-order-items.js';
import { toRetailOrder } from './order-repository.js';

const actor: Actor = { kind: 'agent', id: 'test' };

describeEachDb('exchangeDeliveredOrderItems', (ctx) => {
  it('records the exchange and its price difference; items, payments and balances stay', async () => {
    const f = await seedTauFixture(ctx.db);
    const customerBefore = await getCustomerDetails(ctx.db, f.ana);
    const order = await exchangeDeliveredOrderItems(
      ctx.db,
      { orderId: f.delivered, itemIds: [f.M1, f.L1], newItemIds: [f.M2, f.L2], paymentMethodId: f.giftA },
      actor,
    );
    const retail = toRetailOrder(order);
    expect(retail).toMatchObject({
      status: 'exchange requested',
      exchange_items: [f.L1, f.M1].sort(),
      exchange_new_items: [f.L2, f.M2].sort(),
      exchange_payment_method_id: f.giftA,
      exchange_price_difference: 24.11,
    });
    expect(retail.items.map((i) => i.item_id)).toEqual([f.L1, f.M1]);
    expect(retail.payment_history).toHaveLength(1);
    expect(await getCustomerDetails(ctx.db, f.ana)).toEqual(customerBefore);
  });

  it('keeps a negative difference (money back) and allows the same variant', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query(`UPDATE order_lines SET variant_id = $2, price = 71.96 WHERE order_id = $1 AND position = 0`, [f.delivered, f.L2]);
    const order = await exchangeDeliveredOrderItems(
      ctx.db,
      { orderId: f.delivered, itemIds: [f.L2, f.M1], newItemIds: [f.L1, f.M1], paymentMethodId: f.cardA },
      actor,
    );
    expect(order.exchangePriceDifferenceCents).toBe(-2196);
  });

  const refusals: [string, (f: TauFixture) => ExchangeDeliveredOrderItemsArgs, (f: TauFixture) => string][] = [
    ['an unknown order', (f) => ({ orderId: '#W1', itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.cardA }), () => 'order not found'],
    ['a processed order', (f) => ({ orderId: f.processed, itemIds: [f.M2], newItemIds: [f.M1], paymentMethodId: f.cardA }), () => 'non-delivered order cannot be exchanged'],
    ['an item the order does not hold', (f) => ({ orderId: f.delivered, itemIds: [f.M2], newItemIds: [f.M1], paymentMethodId: f.cardA }), (f) => `${f.M2} not found`],
    ['lists of different lengths', (f) => ({ orderId: f.delivered, itemIds: [f.L1], newItemIds: [f.L2, f.M2], paymentMethodId: f.cardA }), () => 'the number of items to be exchanged should match'],
    ['an unavailable variant', (f) => ({ orderId: f.delivered, itemIds: [f.L1], newItemIds: [f.L3], paymentMethodId: f.cardA }), (f) => `new item ${f.L3} not found or available`],
    ['a variant of another product', (f) => ({ orderId: f.delivered, itemIds: [f.M1], newItemIds: [f.L2], paymentMethodId: f.cardA }), (f) => `new item ${f.L2} not found or available`],
    ["another customer's method", (f) => ({ orderId: f.delivered, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.giftB }), () => 'payment method not found'],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const f = await seedTauFixture(ctx.db);
      const a = args(f);
      await expectRefusedUnchanged(ctx.db, () => exchangeDeliveredOrderItems(ctx.db, a, actor), message(f), {
        orderId: a.orderId.length > 3 ? a.orderId : f.delivered,
        customerId: f.ana,
      });
    });
  }

  it('refuses a gift card short of the difference by a cent', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE payment_methods SET balance = 21.95 WHERE id = $1', [f.giftA]);
    await expectRefusedUnchanged(
      ctx.db,
      () => exchangeDeliveredOrderItems(ctx.db, { orderId: f.delivered, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.giftA }, actor),
      'insufficient gift card balance to pay for the price difference',
      { orderId: f.delivered, customerId: f.ana },
    );
  });
});
