import { carrierTrackingUrl } from '../notifications/carrier-tracking-link.js';
import type { TrackingView, TrackingViewItem } from '../notifications/load-tracking-view.js';

/** A mailto: link to the support address with the order number in the subject. */
export function supportMailto(supportEmail: string, orderNumber: string): string {
  return `mailto:${supportEmail}?subject=${encodeURIComponent(`Question about order ${orderNumber}`)}`;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const items = (list: TrackingViewItem[]) => list.map((i) => ({ name: i.name, options: i.options, quantity: i.quantity }));
const carrierName = (c: string | null) => (c ? c[0]!.toUpperCase() + c.slice(1) : null);

/**
 * What tracking.liquid reads, built from the tracking view alone (so the template has nothing
 * else to reach): snake_case, dates as ISO strings for the page's date filters, and each
 * parcel's timeline newest first, since the latest scan is what a customer comes to see.
 */
export function trackingPageScope(view: TrackingView, supportEmail: string): Record<string, unknown> {
  return {
    order: {
      number: view.orderNumber,
      first_name: view.firstName,
      status: view.orderStatus,
      promised_delivery_at: iso(view.promisedDeliveryAt),
    },
    shipments: view.shipments.map((s) => ({
      number: s.number,
      carrier: carrierName(s.carrier),
      service: s.service,
      tracking_number: s.trackingNumber,
      // The carrier's own page for a carrier with one; empty for the rest (this page is theirs).
      carrier_url: s.trackingNumber ? carrierTrackingUrl(s.carrier, s.trackingNumber, '') : '',
      status: s.status,
      promised_at: iso(s.promisedAt),
      expected_delivery_at: iso(s.expectedDeliveryAt),
      delivered_at: iso(s.deliveredAt),
      items: items(s.items),
      events: [...s.events].reverse().map((e) => ({ status: e.status, detail: e.detail, location: e.location, occurred_at: iso(e.occurredAt) })),
    })),
    unshipped_items: items(view.unshippedItems),
    links: { ask: supportMailto(supportEmail, view.orderNumber) },
  };
}
