import { expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { seedShippingLocations } from '../../../test/support/seed-shipping-locations.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { MemorySandboxLabelStore } from '../../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../connectors/carriers/sandbox-carrier.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { receiveStock } from '../inventory/receive-stock.js';
import { createOrder } from '../orders/create-order.js';
import { cancelAndRefundOrder } from '../orders/cancel-and-refund-order.js';
import { cancelPendingOrder } from '../orders/cancel-pending-order.js';
import { loadOrder } from '../orders/order-repository.js';
import { modifyPendingOrderAddress } from '../orders/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../orders/modify-pending-order-items.js';
import { applyTrackingUpdates } from './apply-tracking-updates.js';
import { fulfilOrder } from './fulfil-order.js';
import { listOrderShipments } from './shipment-repository.js';
import { voidLabel } from './void-label.js';

const actor: Actor = { kind: 'api', id: 'test' };
const T0 = new Date('2026-03-02T15:00:00Z');

/** Orders whose parts are not all labelled, shipped or in stock at once. */
describeEachDb('fulfilOrder with partly fulfilled orders', (ctx) => {
  const store = new MemorySandboxLabelStore();
  const sandbox = new SandboxCarrier({ clock: () => T0, store });
  const carriers = [sandbox];
  let n = 0;

  async function placeOrder(lines: { sku: string; quantity: number }[]) {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `pfo-${++n}`,
        customer: { email: 'pfo.buyer@example.com', first_name: 'Pfo', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines,
        payment: { method: 'card' },
      },
      actor,
    );
    return order;
  }

  const scan = (tn: string, status: 'in_transit' | 'delivered', hours: number) =>
    applyTrackingUpdates(ctx.db, 'sandbox', [{
      trackingNumber: tn,
      carrier: 'sandbox',
      events: [{ trackingNumber: tn, status, occurredAt: new Date(T0.getTime() + hours * 3_600_000), detail: status, location: 'X', eventKey: `${tn}:${status}:${hours}` }],
    }], { kind: 'webhook', id: 'sandbox' });

  it('seeds', async () => {
    await seedTestCatalog(ctx.db, 'p-pfo', [
      { sku: 'PFO-TEE-M', price: '20.00', stock: { 'loc-east-wh': 20 } },
      { sku: 'PFO-TEE-L', price: '20.00', stock: { 'loc-east-wh': 20 } },
      { sku: 'PFO-BACK', price: '12.00', stock: { 'loc-east-wh': 1 } },
    ]);
    await seedTestCatalog(ctx.db, 'p-pfo-mug', [{ sku: 'PFO-MUG', price: '8.00', stock: { 'loc-west-wh': 20 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300, length_mm = 300, width_mm = 200, height_mm = 30 WHERE id LIKE 'v-PFO-%'`);
    await ctx.db.query(`UPDATE variants SET backorder_policy = 'allow' WHERE id = 'v-PFO-BACK'`);
    await seedShippingLocations(ctx.db);
  });

  it('ships no backordered line until its stock is reserved; the rest of the order ships, and a later part at the same location gets a new label key', async () => {
    const order = await placeOrder([{ sku: 'PFO-TEE-M', quantity: 1 }, { sku: 'PFO-BACK', quantity: 3 }]);
    const { rows: lines } = await ctx.db.query<{ variant_id: string; location_id: string; backordered_quantity: number }>(
      'SELECT variant_id, location_id, backordered_quantity FROM order_lines WHERE order_id = $1 ORDER BY position',
      [order.id],
    );
    expect(lines.map((l) => [l.variant_id, l.location_id, l.backordered_quantity])).toEqual([
      ['v-PFO-TEE-M', 'loc-east-wh', 0],
      ['v-PFO-BACK', 'loc-east-wh', 2],
    ]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    expect(r.labelsBought).toBe(1);
    expect(r.shipments.map((s) => s.itemIds)).toEqual([['v-PFO-TEE-M']]);
    const { rows: open } = await ctx.db.query('SELECT id FROM order_lines WHERE order_id = $1 AND shipment_id IS NULL', [order.id]);
    expect(open).toHaveLength(1);
    // Nothing more can ship while the units are still owed.
    const refused = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toContain('backordered');

    // The stock arrives and is reserved for the line: it ships as a second part of the same location.
    await receiveStock(ctx.db, { sku: 'PFO-BACK', locationId: 'loc-east-wh', quantity: 2, reference: 'PO-PFO' }, actor);
    const later = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    expect(later.labelsBought).toBe(1);
    expect(later.shipments.map((s) => s.labelIdempotencyKey)).toEqual([`label:${order.id}:loc-east-wh:1`, `label:${order.id}:loc-east-wh:2`]);
  });

  it('refuses address and item changes once part of a pending order has a label', async () => {
    const order = await placeOrder([{ sku: 'PFO-TEE-M', quantity: 1 }, { sku: 'PFO-MUG', quantity: 1 }]);
    let calls = 0;
    const flaky = new SandboxCarrier({ clock: () => T0, store });
    flaky.buyLabel = async (req) => {
      if (++calls > 1) throw new Error('carrier unavailable');
      return sandbox.buyLabel(req);
    };
    await expect(fulfilOrder(ctx.db, [flaky], order.id, actor, { now: T0 })).rejects.toThrow('carrier unavailable');
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('pending');
    expect((await listOrderShipments(ctx.db, order.id)).filter((s) => s.labelPurchasedAt)).toHaveLength(1);

    const address = { address1: '5 Pine Court', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '73301' };
    const byAddress = await modifyPendingOrderAddress(ctx.db, { orderId: order.id, ...address }, actor).catch((e: unknown) => e);
    expect(byAddress).toMatchObject({ type: 'conflict', message: expect.stringContaining('part of the order already has a shipping label') });
    const byItems = await modifyPendingOrderItems(
      ctx.db,
      { orderId: order.id, itemIds: ['v-PFO-TEE-M'], newItemIds: ['v-PFO-TEE-L'], paymentMethodId: order.payments[0]!.paymentMethodId },
      actor,
    ).catch((e: unknown) => e);
    expect(byItems).toMatchObject({ type: 'conflict', message: expect.stringContaining('part of the order already has a shipping label') });
    const after = (await loadOrder(ctx.db, order.id))!;
    expect(after.address.address1).toBe('1 Main St');
    expect(after.lines.map((l) => l.variantId).sort()).toEqual(['v-PFO-MUG', 'v-PFO-TEE-M']);

    // The rest of the order still ships.
    const done = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    expect(done.status).toBe('processed');
  });

  it('a part voided while another is on its way is labelled again, and the order is not shipped until it is', async () => {
    const order = await placeOrder([{ sku: 'PFO-TEE-M', quantity: 1 }, { sku: 'PFO-MUG', quantity: 1 }]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    const a = r.shipments.find((s) => s.locationId === 'loc-east-wh')!;
    const b = r.shipments.find((s) => s.locationId === 'loc-west-wh')!;
    await scan(a.trackingNumber!, 'in_transit', 1);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('partially_shipped');
    await voidLabel(ctx.db, carriers, b.id, actor);
    await scan(a.trackingNumber!, 'delivered', 5);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('partially_shipped');

    const again = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    expect(again.labelsBought).toBe(1);
    expect(again.status).toBe('partially_shipped');
    const b2 = again.shipments.find((s) => s.locationId === 'loc-west-wh')!;
    await scan(b2.trackingNumber!, 'delivered', 30);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('delivered');
  });

  it('refuses to cancel while a bought label is live: void it first, or it is already on its way', async () => {
    const order = await placeOrder([{ sku: 'PFO-TEE-M', quantity: 1 }, { sku: 'PFO-MUG', quantity: 1 }]);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    const a = r.shipments.find((s) => s.locationId === 'loc-east-wh')!;
    const b = r.shipments.find((s) => s.locationId === 'loc-west-wh')!;
    const cancel = () => cancelAndRefundOrder(ctx.db, { orderId: order.id, reason: 'suspected fraud' }, actor).catch((e: unknown) => e);
    const unscanned = await cancel();
    expect(unscanned).toMatchObject({ type: 'conflict', message: expect.stringContaining('void_label') });
    const held = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [order.id]);
    expect(held.rows.every((x) => x.status === 'active')).toBe(true);

    await scan(a.trackingNumber!, 'in_transit', 1);
    const moving = await cancel();
    expect(moving).toMatchObject({ type: 'conflict', message: expect.stringContaining(`shipment ${a.id} is in_transit`) });
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('partially_shipped');

    // With every live label voided, the order cancels and its stock is released.
    const other = await placeOrder([{ sku: 'PFO-MUG', quantity: 1 }]);
    const labelled = await fulfilOrder(ctx.db, carriers, other.id, actor, { now: T0 });
    await voidLabel(ctx.db, carriers, labelled.shipments[0]!.id, actor);
    const done = await cancelAndRefundOrder(ctx.db, { orderId: other.id, reason: 'suspected fraud' }, actor);
    expect(done.releasedUnits).toBe(1);
    expect(b.status).toBe('pre_transit');
  });

  it('refuses the customer cancel of a pending order when part of it has a label', async () => {
    const order = await placeOrder([{ sku: 'PFO-TEE-M', quantity: 1 }, { sku: 'PFO-MUG', quantity: 1 }]);
    let calls = 0;
    const flaky = new SandboxCarrier({ clock: () => T0, store });
    flaky.buyLabel = async (req) => {
      if (++calls > 1) throw new Error('carrier unavailable');
      return sandbox.buyLabel(req);
    };
    await expect(fulfilOrder(ctx.db, [flaky], order.id, actor, { now: T0 })).rejects.toThrow('carrier unavailable');
    const err = await cancelPendingOrder(ctx.db, { orderId: order.id, reason: 'no longer needed' }, actor).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'conflict', message: expect.stringContaining('void_label') });
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('pending');
  });
});
