import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { modifyPendingOrderPayment } from './modify-pending-order-payment.js';

const actor: Actor = { kind: 'agent', id: 'test' };

describeEachDb('modifyPendingOrderPayment', (ctx) => {
  it('moves the payment off a gift card: charges the new method, refunds the old one and credits the card', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await modifyPendingOrderPayment(ctx.db, { orderId: f.pendingGift, paymentMethodId: f.paypalA }, actor);
    expect(order.status).toBe('pending');
    expect(order.payments.map((p) => [p.kind, p.amountCents, p.paymentMethodId])).toEqual([
      ['payment', 5000, f.giftA],
      ['payment', 5000, f.paypalA],
      ['refund', 5000, f.giftA],
    ]);
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 110 });
  });

  it('charges a gift card that covers the amount exactly', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE payment_methods SET balance = 70.30 WHERE id = $1', [f.giftA]);
    const order = await modifyPendingOrderPayment(ctx.db, { orderId: f.pendingCard, paymentMethodId: f.giftA }, actor);
    expect(order.payments.map((p) => [p.kind, p.amountCents, p.paymentMethodId])).toEqual([
      ['payment', 7030, f.cardA],
      ['payment', 7030, f.giftA],
      ['refund', 7030, f.cardA],
    ]);
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 0 });
  });

  const cases: [string, (f: Awaited<ReturnType<typeof seedTauFixture>>) => { orderId: string; paymentMethodId: string }, string][] = [
    ['an unknown order', (f) => ({ orderId: '#W1', paymentMethodId: f.giftA }), 'order not found'],
    ['a delivered order', (f) => ({ orderId: f.delivered, paymentMethodId: f.giftA }), 'non-pending order cannot be modified'],
    ["another customer's method", (f) => ({ orderId: f.pendingCard, paymentMethodId: f.giftB }), 'payment method not found'],
    ['the current method', (f) => ({ orderId: f.pendingCard, paymentMethodId: f.cardA }), 'the new payment method should be different from the current one'],
    ['a gift card that does not cover the order', (f) => ({ orderId: f.pendingCard, paymentMethodId: f.giftA }), 'insufficient gift card balance to pay for the order'],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      const f = await seedTauFixture(ctx.db);
      const a = args(f);
      await expectRefusedUnchanged(ctx.db, () => modifyPendingOrderPayment(ctx.db, a, actor), message, {
        orderId: a.orderId.length > 3 ? a.orderId : f.pendingCard,
        customerId: f.ana,
      });
    });
  }

  it('refuses a second change: a pending order must have exactly one payment', async () => {
    const f = await seedTauFixture(ctx.db);
    await modifyPendingOrderPayment(ctx.db, { orderId: f.pendingCard, paymentMethodId: f.paypalA }, actor);
    await expectRefusedUnchanged(
      ctx.db,
      () => modifyPendingOrderPayment(ctx.db, { orderId: f.pendingCard, paymentMethodId: f.cardA }, actor),
      'there should be exactly one payment for a pending order',
      { orderId: f.pendingCard, customerId: f.ana },
    );
  });
});
