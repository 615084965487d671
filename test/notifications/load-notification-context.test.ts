import { expect, it } from 'vitest';
import { voidLabel } from '../../src/domain/shipping/void-label.js';
import { loadNotificationContext } from '../../src/notifications/load-notification-context.js';
import { describeEachDb } from '../support/test-db.js';
import { actor, NotificationEngineFixture, PUBLIC_URL } from './notification-engine-fixture.js';

describeEachDb('loadNotificationContext', (ctx) => {
  const f = new NotificationEngineFixture(() => ctx.db, 'LC-TEE');
  const env = () => ({ store: f.deps.store, links: f.deps.links });

  it('sets up', async () => {
    await f.setUp();
  });

  it("fills the context from the ledger; the trigger's voided shipment stays, the list leaves it out", async () => {
    const order = await f.placeOrder({ email: 'lc.buyer@example.com', first_name: 'Ines', phone: '518.555.0123' }, 2);
    const s = await f.fulfil(order.id);
    await voidLabel(ctx.db, [f.sandbox], s.id, actor);
    const c = (await loadNotificationContext(ctx.db, { orderId: order.id, shipmentId: s.id, trigger: 'shipment.shipped', event: { kind: 'x', detail: 'y' } }, env()))!;
    expect(c.customer).toEqual({ id: order.customerId, first_name: 'Ines', last_name: 'Buyer', email: 'lc.buyer@example.com', phone: '+15185550123', order_count: 1, first_order: true });
    expect(c.order).toMatchObject({ id: order.id, number: order.id, currency: 'USD', total: '50.00', status: 'processed' });
    expect(c.order.lines).toEqual([{ name: expect.any(String), sku: 'LC-TEE', quantity: 2, price: '25.00', options: 'size: M' }]);
    expect(c.order.shipping_address).toMatchObject({ name: 'Ines Buyer', address1: '1 Main St', city: 'Albany', zip: '12207' });
    expect(c.shipment).toMatchObject({ id: s.id, status: 'voided', carrier: 'sandbox', tracking_number: s.trackingNumber, items: [{ name: c.order.lines[0]!.name, quantity: 2 }] });
    expect(c.shipment!.carrier_tracking_url).toBe(c.links.tracking_page);
    expect(c.shipments).toEqual([]);
    expect(c.event).toEqual({ kind: 'x', detail: 'y' });
    expect(c.links.tracking_page.startsWith(`${PUBLIC_URL}/track/`)).toBe(true);
    expect(c.links.unsubscribe.startsWith(`${PUBLIC_URL}/unsubscribe/`)).toBe(true);
    expect(c.links.support).toBe(`mailto:help@shop.example.test?subject=${encodeURIComponent(`Order ${order.id}`)}`);
    expect(await loadNotificationContext(ctx.db, { orderId: '#W0000000', shipmentId: null, trigger: 'order.confirmed' }, env())).toBeNull();
  });

  it('counts orders placed up to this one by the microsecond', async () => {
    const first = await f.placeOrder({ email: 'lc.twice@example.com' });
    const second = await f.placeOrder({ email: 'lc.twice@example.com' });
    // Within one millisecond, in the opposite order of their records: a JS Date could not tell them apart.
    await ctx.db.query(`UPDATE orders SET placed_at = '2026-03-02 15:00:00.000200+00' WHERE id = $1`, [first.id]);
    await ctx.db.query(`UPDATE orders SET placed_at = '2026-03-02 15:00:00.000100+00' WHERE id = $1`, [second.id]);
    const count = async (orderId: string) =>
      (await loadNotificationContext(ctx.db, { orderId, shipmentId: null, trigger: 'order.confirmed' }, env()))!.customer.order_count;
    expect([await count(second.id), await count(first.id)]).toEqual([1, 2]);
  });
});
