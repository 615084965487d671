import { expect, it } from 'vitest';
import { retailSnapshot, seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { auditTrail } from '../audit/audit-log.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { cancelPendingOrder } from './cancel-pending-order.js';
import { modifyPendingOrderItems } from './modify-pending-order-items.js';
import { modifyPendingOrderPayment } from './modify-pending-order-payment.js';
import { toRetailOrder } from './order-repository.js';

const actor: Actor = { kind: 'agent', id: 'test', onBehalfOf: 'ana' };

describeEachDb('cancelPendingOrder', (ctx) => {
  it('cancels a pending order, refunds every payment and credits the gift card', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await cancelPendingOrder(ctx.db, { orderId: f.pendingGift, reason: 'no longer needed' }, actor);
    expect(toRetailOrder(order)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'no longer needed',
      payment_history: [
        { transaction_type: 'payment', amount: 50, payment_method_id: f.giftA },
        { transaction_type: 'refund', amount: 50, payment_method_id: f.giftA },
      ],
    });
    const ana = await getCustomerDetails(ctx.db, f.ana);
    expect(ana!.payment_methods[f.giftA]).toEqual({ source: 'gift_card', balance: 110, id: f.giftA });
    const { rows } = await ctx.db.query<{ from_status: string; to_status: string }>(
      'SELECT from_status, to_status FROM order_events WHERE order_id = $1',
      [f.pendingGift],
    );
    expect(rows).toEqual([{ from_status: 'pending', to_status: 'cancelled' }]);
    const actions = (await auditTrail(ctx.db, 'order', f.pendingGift)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['order.payments_appended', 'order.status_changed']));
    expect((await auditTrail(ctx.db, 'payment_method', f.giftA)).map((a) => a.data.deltaCents)).toEqual([5000]);
  });

  it('refunds a card without touching any gift card', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await cancelPendingOrder(ctx.db, { orderId: f.pendingCard, reason: 'ordered by mistake' }, actor);
    expect(order.payments.map((p) => [p.kind, p.amountCents, p.paymentMethodId])).toEqual([
      ['payment', 7030, f.cardA],
      ['refund', 7030, f.cardA],
    ]);
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 60 });
  });

  it('after a payment change refunds every ledger entry, the earlier refund included', async () => {
    const f = await seedTauFixture(ctx.db);
    await modifyPendingOrderPayment(ctx.db, { orderId: f.pendingGift, paymentMethodId: f.cardA }, actor);
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 110 });
    const order = await cancelPendingOrder(ctx.db, { orderId: f.pendingGift, reason: 'no longer needed' }, actor);
    expect(order.payments.map((p) => [p.kind, p.amountCents, p.paymentMethodId])).toEqual([
      ['payment', 5000, f.giftA],
      ['payment', 5000, f.cardA],
      ['refund', 5000, f.giftA],
      ['refund', 5000, f.giftA],
      ['refund', 5000, f.cardA],
      ['refund', 5000, f.giftA],
    ]);
    // 60 + 50 (payment moved off the card) + 50 + 50 (two gift-card refunds on cancel)
    expect((await getCustomerDetails(ctx.db, f.ana))!.payment_methods[f.giftA]).toMatchObject({ balance: 210 });
  });

  it('releases the stock the order still holds', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query(
      `INSERT INTO locations (id, name, kind, region, country) VALUES ('tau-loc', 'Test WH', 'warehouse', 'us-east', 'USA') ON CONFLICT DO NOTHING`,
    );
    await ctx.db.query(`INSERT INTO inventory_levels (variant_id, location_id, on_hand) VALUES ($1, 'tau-loc', 5)`, [f.L1]);
    await ctx.db.query(`INSERT INTO reservations (variant_id, location_id, order_id, quantity) VALUES ($1, 'tau-loc', $2, 1)`, [f.L1, f.pendingCard]);
    await cancelPendingOrder(ctx.db, { orderId: f.pendingCard, reason: 'no longer needed' }, actor);
    const { rows } = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [f.pendingCard]);
    expect(rows).toEqual([{ status: 'released' }]);
  });

  const refusals: [string, (f: Awaited<ReturnType<typeof seedTauFixture>>) => { orderId: string; reason: string }, string, (f: Awaited<ReturnType<typeof seedTauFixture>>) => Promise<void>][] = [
    ['an unknown order', () => ({ orderId: '#W0000000', reason: 'no longer needed' }), 'order not found', async () => {}],
    ['a delivered order', (f) => ({ orderId: f.delivered, reason: 'no longer needed' }), 'non-pending order cannot be cancelled', async () => {}],
    ['a cancelled order', (f) => ({ orderId: f.cancelled, reason: 'no longer needed' }), 'non-pending order cannot be cancelled', async () => {}],
    [
      'an order whose items were modified',
      (f) => ({ orderId: f.pendingCard, reason: 'no longer needed' }),
      'non-pending order cannot be cancelled',
      async (f) => {
        await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.M1], newItemIds: [f.M2], paymentMethodId: f.cardA }, actor);
      },
    ],
    ['an unknown reason', (f) => ({ orderId: f.pendingCard, reason: 'changed my mind' }), 'invalid reason', async () => {}],
  ];
  for (const [what, args, message, prepare] of refusals) {
    it(`refuses ${what} and writes nothing`, async () => {
      const f = await seedTauFixture(ctx.db);
      await prepare(f);
      const a = args(f);
      const before = await retailSnapshot(ctx.db, a.orderId === '#W0000000' ? f.pendingCard : a.orderId, f.ana);
      await expect(cancelPendingOrder(ctx.db, a, actor)).rejects.toThrow(new RegExp(`^${message}$`));
      expect(await retailSnapshot(ctx.db, a.orderId === '#W0000000' ? f.pendingCard : a.orderId, f.ana)).toEqual(before);
    });
  }
});
