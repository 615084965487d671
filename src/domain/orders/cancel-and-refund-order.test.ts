import { expect, it } from 'vitest';
import { countLedgerRows } from '../../../test/support/count-ledger-rows.js';
import { retailSnapshot, seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { cancelAndRefundOrder } from './cancel-and-refund-order.js';
import { holdOrder } from './hold-order.js';
import { loadOrder } from './order-repository.js';

const ops: Actor = { kind: 'person', id: 'U_OPS' };

describeEachDb('cancelAndRefundOrder', (ctx) => {
  it('cancels a held order, refunds what each method paid and credits the gift card', async () => {
    const f = await seedTauFixture(ctx.db);
    await holdOrder(ctx.db, { orderId: f.pendingGift, reason: 'risk score 95' }, { kind: 'job', id: 'anomaly-detector' });
    const result = await cancelAndRefundOrder(ctx.db, { orderId: f.pendingGift, reason: 'suspected fraud' }, ops);
    expect(result).toMatchObject({ from: 'on_hold', status: 'cancelled', refunds: [{ paymentMethodId: f.giftA, amount: 50 }] });
    const order = await loadOrder(ctx.db, f.pendingGift);
    expect(order!.status).toBe('cancelled');
    expect(order!.cancelReason).toBe('suspected fraud');
    expect(order!.payments.map((p) => [p.kind, p.amountCents])).toEqual([
      ['payment', 5000],
      ['refund', 5000],
    ]);
    const ana = await getCustomerDetails(ctx.db, f.ana);
    expect(ana!.payment_methods[f.giftA]).toMatchObject({ balance: 110 });
  });

  it('cancels a processed order the customer-facing cancel refuses', async () => {
    const f = await seedTauFixture(ctx.db);
    const result = await cancelAndRefundOrder(ctx.db, { orderId: f.processed, reason: 'out of stock' }, ops);
    expect(result.status).toBe('cancelled');
    expect(result.refunds.length).toBeGreaterThan(0);
  });

  it('refunds nothing twice: an order already refunded in full gets no new refund', async () => {
    const f = await seedTauFixture(ctx.db);
    await holdOrder(ctx.db, { orderId: f.pendingCard, reason: 'check' }, ops);
    const first = await cancelAndRefundOrder(ctx.db, { orderId: f.pendingCard, reason: 'suspected fraud' }, ops);
    expect(first.refunds).toHaveLength(1);
    await expect(cancelAndRefundOrder(ctx.db, { orderId: f.pendingCard, reason: 'again' }, ops)).rejects.toThrow(
      /already cancelled/,
    );
  });

  it('refuses a delivered order with the reason and writes nothing', async () => {
    const f = await seedTauFixture(ctx.db);
    const before = await retailSnapshot(ctx.db, f.delivered, f.ana);
    const other = await retailSnapshot(ctx.db, f.pendingCard, f.ana);
    const rows = await countLedgerRows(ctx.db);
    await expect(cancelAndRefundOrder(ctx.db, { orderId: f.delivered, reason: 'fraud' }, ops)).rejects.toThrow(
      /a delivered order cannot become cancelled/,
    );
    await expect(cancelAndRefundOrder(ctx.db, { orderId: f.pendingCard, reason: '  ' }, ops)).rejects.toThrow(/needs a reason/);
    expect(await retailSnapshot(ctx.db, f.delivered, f.ana)).toEqual(before);
    expect(await retailSnapshot(ctx.db, f.pendingCard, f.ana)).toEqual(other);
    expect(await countLedgerRows(ctx.db)).toEqual(rows);
  });
});
