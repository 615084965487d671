import { expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { seedShippingLocations } from '../../../test/support/seed-shipping-locations.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { MemorySandboxLabelStore } from '../../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../connectors/carriers/sandbox-carrier.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { createOrder } from '../orders/create-order.js';
import { loadOrder } from '../orders/order-repository.js';
import { transitionOrder } from '../orders/order-state-machine.js';
import { applyTrackingUpdates } from './apply-tracking-updates.js';
import { fulfilOrder } from './fulfil-order.js';
import { findShipment, listShipmentEvents } from './shipment-repository.js';
import { voidLabel } from './void-label.js';

const actor: Actor = { kind: 'api', id: 'test' };
const T0 = new Date('2026-03-02T15:00:00Z');

describeEachDb('fulfilOrder', (ctx) => {
  let clock = T0;
  const store = new MemorySandboxLabelStore();
  const sandbox = new SandboxCarrier({ clock: () => clock, store });
  const carriers = [sandbox];
  let n = 0;

  async function placeOrder(lines: { sku: string; quantity: number }[], address = '1 Main St') {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `ful-${++n}`,
        customer: { email: 'ful.buyer@example.com', first_name: 'Ful', last_name: 'Buyer' },
        shipping_address: { address1: address, city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines,
        payment: { method: 'card' },
      },
      actor,
    );
    return order;
  }

  it('seeds', async () => {
    await seedTestCatalog(ctx.db, 'p-ful', [
      { sku: 'FUL-TEE', price: '20.00', stock: { 'loc-east-wh': 10 } },
      { sku: 'FUL-MUG', price: '8.00', stock: { 'loc-west-wh': 10 } },
    ]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300, length_mm = 300, width_mm = 200, height_mm = 30 WHERE id LIKE 'v-FUL-%'`);
    await seedShippingLocations(ctx.db);
  });

  it('buys one label per location, records it, moves the order to processed, and never buys twice', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 2 }]);
    const before = (await store.all()).length;
    const first = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(first.labelsBought).toBe(1);
    expect(first.status).toBe('processed');
    const [s] = first.shipments;
    expect(s).toMatchObject({
      status: 'pre_transit',
      carrierAccount: 'sandbox',
      service: 'Sandbox Ground',
      serviceLevel: 'standard',
      labelIdempotencyKey: `label:${order.id}:loc-east-wh:1`,
      locationId: 'loc-east-wh',
      hasLabelPdf: true,
    });
    expect(s!.trackingNumber).toMatch(/\d{10,}/);
    const again = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(again.labelsBought).toBe(0);
    expect(again.shipments.map((x) => x.trackingNumber)).toEqual([s!.trackingNumber]);
    expect((await store.all()).length).toBe(before + 1);
  });

  it('after a crash between the purchase and its record, the retry gets the same label and buys nothing', async () => {
    const order = await placeOrder([{ sku: 'FUL-MUG', quantity: 1 }]);
    const broken = new SandboxCarrier({ clock: () => clock, store });
    // The carrier sells the label, then the process dies before recording it.
    broken.buyLabel = async (req) => {
      await sandbox.buyLabel(req);
      throw new Error('connection reset after purchase');
    };
    await expect(fulfilOrder(ctx.db, [broken], order.id, actor, { now: clock })).rejects.toThrow('connection reset');
    const bought = (await store.all()).length;
    const retry = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(retry.labelsBought).toBe(1);
    expect((await store.all()).length).toBe(bought);
    expect(retry.status).toBe('processed');
  });

  it('buys nothing new when the transaction around the purchase rolls back and the call is made again', async () => {
    const order = await placeOrder([{ sku: 'FUL-MUG', quantity: 1 }]);
    const rolledBack = await ctx.db
      .transaction(async (tx) => {
        await fulfilOrder(tx, carriers, order.id, actor, { now: clock });
        throw new Error('the approval transaction failed after the purchase');
      })
      .catch((e: Error) => e.message);
    expect(rolledBack).toContain('after the purchase');
    expect((await ctx.db.query('SELECT id FROM shipments WHERE order_id = $1', [order.id])).rows).toEqual([]);
    const bought = (await store.all()).length;
    const retry = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(retry.labelsBought).toBe(1);
    expect((await store.all()).length).toBe(bought);
  });

  it('two fulfil calls at once buy one label between them', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 1 }]);
    const before = (await store.all()).length;
    const [a, b] = await Promise.all([
      fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock }),
      fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock }),
    ]);
    expect(a.labelsBought + b.labelsBought).toBe(1);
    expect(a.shipments.map((s) => s.trackingNumber)).toEqual(b.shipments.map((s) => s.trackingNumber));
    expect((await store.all()).length).toBe(before + 1);
    const events = await ctx.db.query<{ to_status: string }>('SELECT to_status FROM order_events WHERE order_id = $1 ORDER BY id', [order.id]);
    expect(events.rows.map((e) => e.to_status)).toEqual(['pending', 'processed']);
  });

  it('splits an order by location: one shipment each', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 1 }, { sku: 'FUL-MUG', quantity: 1 }]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(r.shipments.map((s) => s.locationId).sort()).toEqual(['loc-east-wh', 'loc-west-wh']);
    expect(r.labelsBought).toBe(2);
  });

  it('ships a discounted order with shipping and tax paid in full, leaving a line that ships nothing out of every parcel', async () => {
    await seedTestCatalog(ctx.db, 'p-ful-card', [{ sku: 'FUL-CARD', price: '25.00', stock: {} }]);
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `ful-${++n}`,
        customer: { email: 'ful.buyer@example.com', first_name: 'Ful', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [
          { sku: 'FUL-TEE', quantity: 1 },
          { sku: 'FUL-CARD', quantity: 1, requires_shipping: false, gift_card: true },
        ],
        discounts: [{ code: 'TEN', amount: 10 }],
        shipping_lines: [{ title: 'Standard', price: 5 }],
        taxes: [{ title: 'NY', amount: 2.5 }],
        payment: { method: 'card', amount: 42.5 },
      },
      actor,
    );
    const result = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(result.labelsBought).toBe(1);
    expect(result.shipments.map((s) => s.itemIds)).toEqual([['v-FUL-TEE']]);
    // Delivered when its one parcel is: the gift card never holds it at partially shipped.
    const tn = result.shipments[0]!.trackingNumber!;
    await applyTrackingUpdates(ctx.db, 'sandbox', [{
      trackingNumber: tn,
      carrier: 'sandbox',
      events: [{ trackingNumber: tn, status: 'delivered', occurredAt: new Date(T0.getTime() + 48 * 3_600_000), detail: 'delivered', location: 'X', eventKey: `${tn}:delivered` }],
    }], { kind: 'webhook', id: 'sandbox' });
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('delivered');
  });

  it('refuses a held order with the reason and writes nothing', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 1 }]);
    await transitionOrder(ctx.db, order.id, { to: 'on_hold', actor, set: { hold_reason: 'risk score 95' } });
    const err = await fulfilOrder(ctx.db, carriers, order.id, actor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toContain('on hold (risk score 95)');
    const { rows } = await ctx.db.query('SELECT id FROM shipments WHERE order_id = $1', [order.id]);
    expect(rows).toEqual([]);
    await expect(fulfilOrder(ctx.db, carriers, 'no-such-order', actor)).rejects.toMatchObject({ type: 'not_found' });
  });

  it('reconciles tracking out of order and duplicated: forward only, delivered at the end, stock sold', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 1 }, { sku: 'FUL-MUG', quantity: 1 }]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    const [a, b] = r.shipments;
    const ev = (tn: string, status: 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'pre_transit', hours: number) => ({
      trackingNumber: tn,
      carrier: 'sandbox',
      events: [{ trackingNumber: tn, status, occurredAt: new Date(T0.getTime() + hours * 3_600_000), detail: status, location: 'X', eventKey: `${tn}:${status}:${hours}` }],
    });
    const apply = (u: ReturnType<typeof ev>[]) => applyTrackingUpdates(ctx.db, 'sandbox', u, { kind: 'webhook', id: 'sandbox' });

    await apply([ev(a!.trackingNumber!, 'in_transit', 2)]);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('partially_shipped');
    const sold = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1 ORDER BY id', [order.id]);
    expect(sold.rows.map((x) => x.status).sort()).toEqual(['active', 'fulfilled']);

    await apply([ev(b!.trackingNumber!, 'exception', 3)]);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('exception');
    await apply([ev(b!.trackingNumber!, 'in_transit', 4)]);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('shipped');

    await apply([ev(a!.trackingNumber!, 'delivered', 20), ev(a!.trackingNumber!, 'out_for_delivery', 15)]);
    expect((await findShipment(ctx.db, a!.id))!.status).toBe('delivered');
    // Late and repeated events never move it back.
    const late = await apply([ev(a!.trackingNumber!, 'in_transit', 2), ev(a!.trackingNumber!, 'pre_transit', 0)]);
    expect(late[0]!.stored).toBe(0);
    expect(late[1]!.to).toBe('delivered');
    await apply([ev(b!.trackingNumber!, 'delivered', 30), ev(b!.trackingNumber!, 'exception', 1)]);
    const final = (await loadOrder(ctx.db, order.id))!;
    expect(final.status).toBe('delivered');
    const sa = (await findShipment(ctx.db, a!.id))!;
    expect(sa.shippedAt?.toISOString()).toBe(new Date(T0.getTime() + 2 * 3_600_000).toISOString());
    expect(sa.deliveredAt?.toISOString()).toBe(new Date(T0.getTime() + 20 * 3_600_000).toISOString());
    expect((await listShipmentEvents(ctx.db, a!.id)).map((e) => e.status)).toEqual(['pre_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    const all = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [order.id]);
    expect(all.rows.every((x) => x.status === 'fulfilled')).toBe(true);
    const unknown = await apply([ev('NOPE', 'delivered', 1)]);
    expect(unknown[0]!.shipmentId).toBeNull();
  });

  it('voids an unscanned label and lets the order be fulfilled again with a new key', async () => {
    const order = await placeOrder([{ sku: 'FUL-TEE', quantity: 1 }]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    const s = r.shipments[0]!;
    const voided = await voidLabel(ctx.db, carriers, s.id, actor);
    expect(voided.shipment.status).toBe('voided');
    await expect(voidLabel(ctx.db, carriers, s.id, actor)).rejects.toMatchObject({ code: 'not_voidable' });
    const again = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: clock });
    expect(again.labelsBought).toBe(1);
    expect(again.shipments[0]!.labelIdempotencyKey).not.toBe(s.labelIdempotencyKey);
  });
});
