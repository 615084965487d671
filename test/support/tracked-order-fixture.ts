import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { DEFAULT_ROUTING_SETTINGS } from '../../src/domain/routing/routing-settings.js';
import { applyTrackingUpdates } from '../../src/domain/shipping/apply-tracking-updates.js';
import type { TrackingStatus } from '../../src/domain/shipping/carrier.js';
import { fulfilOrder } from '../../src/domain/shipping/fulfil-order.js';
import { seedShippingLocations } from './seed-shipping-locations.js';
import { seedTestCatalog } from './seed-test-catalog.js';

export const TRACKED_SKUS = { tee: 'TRK-TEE', mug: 'TRK-MUG' } as const;

const api: Actor = { kind: 'api', id: 'test' };

/** The test catalog a tracked order draws from (two variants at the Newark warehouse); once per database. */
export async function seedTrackedOrderCatalog(db: Db): Promise<void> {
  await seedTestCatalog(db, 'p-trk-tee', [{ sku: TRACKED_SKUS.tee, price: '30.00', stock: { 'loc-east-wh': 50 } }]);
  await seedTestCatalog(db, 'p-trk-mug', [{ sku: TRACKED_SKUS.mug, price: '12.50', stock: { 'loc-east-wh': 50 } }]);
  await db.query(`UPDATE products SET name = CASE id WHEN 'p-trk-tee' THEN 'Merino tee' ELSE 'Stoneware mug' END WHERE id IN ('p-trk-tee', 'p-trk-mug')`);
  await db.query(`UPDATE variants SET weight_grams = 350 WHERE id IN ('v-${TRACKED_SKUS.tee}', 'v-${TRACKED_SKUS.mug}')`);
  await seedShippingLocations(db);
}

export interface CarrierScan {
  status: TrackingStatus;
  detail: string;
  location: string;
  /** Hours after the label was bought. */
  hours: number;
  expectedDeliveryAt?: Date;
}

export interface TrackedOrder {
  orderId: string;
  trackingNumber: string;
  service: string;
  labelBoughtAt: Date;
}

/**
 * An order placed, fulfilled with a sandbox label and given carrier scans, each through the
 * domain service that does it in production (createOrder, fulfilOrder, applyTrackingUpdates).
 * Routing's clock is set two hours before the label, so the promised date follows the scans.
 */
export async function placeTrackedOrder(
  db: Db,
  input: {
    externalId: string;
    customer: { email: string; first_name: string; last_name: string; phone?: string };
    address?: { address1: string; city: string; state: string; zip: string };
    lines?: { sku: string; quantity: number }[];
    scans: CarrierScan[];
    labelBoughtAt?: Date;
  },
): Promise<TrackedOrder> {
  const at = input.labelBoughtAt ?? new Date('2026-03-02T15:00:00Z');
  const { order } = await createOrder(
    db,
    {
      channel: 'api',
      external_id: input.externalId,
      customer: input.customer,
      shipping_address: { country: 'USA', ...(input.address ?? { address1: '1 Main St', city: 'Albany', state: 'NY', zip: '12207' }) },
      lines: input.lines ?? [{ sku: TRACKED_SKUS.tee, quantity: 2 }, { sku: TRACKED_SKUS.mug, quantity: 1 }],
      payment: { method: 'card' },
    },
    api,
    { routing: { ...DEFAULT_ROUTING_SETTINGS, now: () => new Date(at.getTime() - 2 * 3_600_000) } },
  );
  const carrier = new SandboxCarrier({ clock: () => at, store: new MemorySandboxLabelStore() });
  const fulfilled = await fulfilOrder(db, [carrier], order.id, api, { now: at });
  const shipment = fulfilled.shipments[0]!;
  const trackingNumber = shipment.trackingNumber!;
  if (input.scans.length) {
    await applyTrackingUpdates(
      db,
      'sandbox',
      [{
        trackingNumber,
        carrier: 'sandbox',
        events: input.scans.map((s, i) => ({
          trackingNumber,
          status: s.status,
          detail: s.detail,
          location: s.location,
          occurredAt: new Date(at.getTime() + s.hours * 3_600_000),
          eventKey: `${trackingNumber}:${i}`,
          expectedDeliveryAt: s.expectedDeliveryAt ?? null,
        })),
      }],
      { kind: 'webhook', id: 'sandbox' },
    );
  }
  return { orderId: order.id, trackingNumber, service: shipment.service ?? '', labelBoughtAt: at };
}
