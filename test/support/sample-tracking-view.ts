import type { TrackingView } from '../../src/notifications/load-tracking-view.js';

const at = (iso: string) => new Date(iso);

/** A one-parcel tracking view with two scans, for tests of the page without a database. */
export const SAMPLE_VIEW: TrackingView = {
  orderId: '#W1234567',
  orderNumber: '#W1234567',
  firstName: 'Ada',
  orderStatus: 'shipped',
  placedAt: at('2026-03-01T10:00:00Z'),
  promisedDeliveryAt: at('2026-03-06T22:00:00Z'),
  shipments: [{
    number: 1,
    carrier: 'sandbox',
    service: 'Sandbox Ground',
    trackingNumber: 'SBX1',
    status: 'in_transit',
    promisedAt: at('2026-03-06T22:00:00Z'),
    expectedDeliveryAt: null,
    shippedAt: at('2026-03-02T20:00:00Z'),
    deliveredAt: null,
    items: [{ name: 'Tee', options: 'M', quantity: 2 }],
    events: [
      { status: 'pre_transit', detail: 'Label created', location: 'Newark, NJ', occurredAt: at('2026-03-02T15:00:00Z') },
      { status: 'in_transit', detail: 'Picked up', location: 'Newark, NJ', occurredAt: at('2026-03-02T20:00:00Z') },
    ],
  }],
  unshippedItems: [],
};
