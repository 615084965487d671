import { expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { seedShippingLocations } from '../../../test/support/seed-shipping-locations.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { MemorySandboxLabelStore } from '../../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier, sandboxTrackingNumber } from '../../connectors/carriers/sandbox-carrier.js';
import type { Actor } from '../actor.js';
import { createOrder } from '../orders/create-order.js';
import { loadOrder } from '../orders/order-repository.js';
import { applyTrackingUpdates } from './apply-tracking-updates.js';
import type { TrackingStatus, TrackingUpdate } from './carrier.js';
import { buyShipmentLabel } from './buy-shipment-label.js';
import { fulfilOrder } from './fulfil-order.js';
import { pollTracking } from './poll-tracking.js';
import { findShipment, listOrderShipments, listShipmentEvents } from './shipment-repository.js';

const actor: Actor = { kind: 'webhook', id: 'sandbox' };
const T0 = new Date('2026-03-02T15:00:00Z');

describeEachDb('applyTrackingUpdates', (ctx) => {
  const sandbox = new SandboxCarrier({ clock: () => T0, store: new MemorySandboxLabelStore() });
  let n = 0;

  async function placeOrder() {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `atu-${++n}`,
        customer: { email: 'atu.buyer@example.com', first_name: 'Atu', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'ATU-TEE', quantity: 1 }],
        payment: { method: 'card' },
      },
      { kind: 'api', id: 'test' },
    );
    return order;
  }

  const update = (tn: string, ...events: [TrackingStatus, number][]): TrackingUpdate => ({
    trackingNumber: tn,
    carrier: 'sandbox',
    events: events.map(([status, hours]) => ({
      trackingNumber: tn,
      status,
      occurredAt: new Date(T0.getTime() + hours * 3_600_000),
      detail: status,
      location: 'X',
      eventKey: `${tn}:${status}:${hours}`,
    })),
  });

  it('seeds', async () => {
    await seedTestCatalog(ctx.db, 'p-atu', [{ sku: 'ATU-TEE', price: '20.00', stock: { 'loc-east-wh': 10 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300 WHERE id = 'v-ATU-TEE'`);
    await seedShippingLocations(ctx.db);
  });

  it('keeps an event for a number not recorded yet and applies it once the label is recorded', async () => {
    const order = await placeOrder();
    const tn = sandboxTrackingNumber(`label:${order.id}:loc-east-wh:1`);
    const early = await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['in_transit', 2])], actor);
    expect(early[0]!.shipmentId).toBeNull();

    const r = await fulfilOrder(ctx.db, [sandbox], order.id, { kind: 'api', id: 'test' }, { now: T0 });
    expect(r.shipments[0]!.trackingNumber).toBe(tn);
    const s = (await findShipment(ctx.db, r.shipments[0]!.id))!;
    expect(s.status).toBe('in_transit');
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('shipped');
    const sold = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [order.id]);
    expect(sold.rows.map((x) => x.status)).toEqual(['fulfilled']);
    const { rows: waiting } = await ctx.db.query('SELECT id FROM unmatched_tracking_events WHERE tracking_number = $1 AND applied_at IS NULL', [tn]);
    expect(waiting).toEqual([]);
  });

  it('never applies an event from another carrier account to this account\'s shipment', async () => {
    const order = await placeOrder();
    const r = await fulfilOrder(ctx.db, [sandbox], order.id, { kind: 'api', id: 'test' }, { now: T0 });
    const tn = r.shipments[0]!.trackingNumber!;
    const other = await applyTrackingUpdates(ctx.db, 'easypost', [update(tn, ['delivered', 5])], actor);
    expect(other[0]!.shipmentId).toBeNull();
    // A later update for the sandbox shipment does not pick up what the other account reported.
    const own = await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['in_transit', 1])], actor);
    expect(own[0]!.to).toBe('in_transit');
    expect((await listShipmentEvents(ctx.db, r.shipments[0]!.id)).map((e) => e.status)).toEqual(['in_transit']);
    const { rows } = await ctx.db.query<{ account: string; applied_at: Date | null }>(
      'SELECT account, applied_at FROM unmatched_tracking_events WHERE tracking_number = $1',
      [tn],
    );
    expect(rows).toEqual([{ account: 'easypost', applied_at: null }]);
  });

  it('stores a repeated event once and never moves a shipment back for a late one', async () => {
    const order = await placeOrder();
    const r = await fulfilOrder(ctx.db, [sandbox], order.id, { kind: 'api', id: 'test' }, { now: T0 });
    const tn = r.shipments[0]!.trackingNumber!;
    const first = await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['delivered', 20], ['in_transit', 2])], actor);
    expect(first[0]).toMatchObject({ stored: 2, from: 'pre_transit', to: 'delivered', orderStatus: 'delivered' });
    const again = await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['delivered', 20], ['in_transit', 2])], actor);
    expect(again[0]).toMatchObject({ stored: 0, to: 'delivered' });
    const late = await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['out_for_delivery', 15], ['exception', 1])], actor);
    expect(late[0]).toMatchObject({ stored: 2, from: 'delivered', to: 'delivered', orderStatus: 'delivered' });
    const s = (await findShipment(ctx.db, r.shipments[0]!.id))!;
    expect(s.shippedAt?.toISOString()).toBe(new Date(T0.getTime() + 2 * 3_600_000).toISOString());
    expect(s.deliveredAt?.toISOString()).toBe(new Date(T0.getTime() + 20 * 3_600_000).toISOString());
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tracking_events WHERE shipment_id = $1', [s.id]);
    expect(rows[0]!.n).toBe(4);
  });

  it('a kept event for a label bought outside fulfilment is applied by the next poll', async () => {
    const order = await placeOrder();
    const down = new SandboxCarrier({ clock: () => T0, store: new MemorySandboxLabelStore() });
    down.buyLabel = async () => {
      throw new Error('carrier unavailable');
    };
    await expect(fulfilOrder(ctx.db, [down], order.id, { kind: 'api', id: 'test' }, { now: T0 })).rejects.toThrow('carrier unavailable');
    const [shipment] = await listOrderShipments(ctx.db, order.id);
    const tn = sandboxTrackingNumber(shipment!.labelIdempotencyKey!);
    await applyTrackingUpdates(ctx.db, 'sandbox', [update(tn, ['in_transit', 2])], actor);
    await buyShipmentLabel(ctx.db, [sandbox], shipment!.id, { kind: 'api', id: 'test' }, { now: T0 });
    expect((await findShipment(ctx.db, shipment!.id))!.status).toBe('pre_transit');
    const polled = await pollTracking(ctx.db, [sandbox], { kind: 'job', id: 'tracking-poll' }, { staleHours: 6, now: T0 });
    expect(polled.outcomes.map((o) => [o.shipmentId, o.to])).toEqual([[shipment!.id, 'in_transit']]);
    expect((await findShipment(ctx.db, shipment!.id))!.status).toBe('in_transit');
  });
});
