import { expect, it } from 'vitest';
import { seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { loadOrder, loadOrders, searchOrders, toRetailOrder } from './order-repository.js';

describeEachDb('order repository', (ctx) => {
  it('loads an order with lines, fulfilments and payments, and renders the tau shape', async () => {
    const f = await seedTauFixture(ctx.db);
    const order = await loadOrder(ctx.db, f.cancelled);
    expect(order).toMatchObject({
      id: f.cancelled,
      customerId: f.ana,
      channel: 'tau-retail',
      externalId: f.cancelled,
      status: 'cancelled',
      lines: [{ position: 0, productId: f.mug, variantId: f.M2, name: 'Coffee Mug', options: { size: 'large' }, priceCents: 1225, quantity: 1, locationId: null }],
      shipments: [{ position: 0, trackingIds: [expect.any(String)], itemIds: [f.M2], carrier: null }],
      payments: [
        { position: 0, kind: 'payment', amountCents: 1225, paymentMethodId: f.cardA },
        { position: 1, kind: 'refund', amountCents: 1225, paymentMethodId: f.cardA },
      ],
      cancelReason: null,
    });
    expect(order!.placedAt).toBeInstanceOf(Date);
    const retail = toRetailOrder(order!);
    expect(Object.keys(retail).sort()).toEqual(['address', 'fulfillments', 'items', 'order_id', 'payment_history', 'status', 'user_id']);
    expect(retail.payment_history[1]).toEqual({ transaction_type: 'refund', amount: 12.25, payment_method_id: f.cardA });
    expect(await loadOrder(ctx.db, '#W0')).toBeNull();
  });

  it('repeats an item once per unit in the tau shape', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE order_lines SET quantity = 3 WHERE order_id = $1', [f.processed]);
    expect(toRetailOrder((await loadOrder(ctx.db, f.processed))!).items.map((i) => i.item_id)).toEqual([f.M2, f.M2, f.M2]);
  });

  it('loads several orders in the order asked, skipping unknown ids', async () => {
    const f = await seedTauFixture(ctx.db);
    expect((await loadOrders(ctx.db, [f.processed, '#none', f.delivered])).map((o) => o.id)).toEqual([f.processed, f.delivered]);
  });

  it('searches by status, customer and channel, newest first', async () => {
    const f = await seedTauFixture(ctx.db);
    const pending = await searchOrders(ctx.db, { customerId: f.ana, status: 'pending' });
    expect(pending.map((o) => o.id)).toEqual([f.pendingGift, f.pendingCard]);
    expect(await searchOrders(ctx.db, { customerId: f.ana, channel: 'shopify' })).toEqual([]);
    const all = await searchOrders(ctx.db, { customerId: f.ana, limit: 2 });
    expect(all).toHaveLength(2);
    const first = (await loadOrder(ctx.db, f.delivered))!;
    const from = await searchOrders(ctx.db, { customerId: f.ana, from: first.placedAt, to: new Date(first.placedAt.getTime() + 1) });
    expect(from.map((o) => o.id)).toEqual([f.delivered]);
  });
});
