import { renderPrompt } from '../../agent/prompt-library.js';
import type { OrderRecord } from '../../domain/orders/order-repository.js';

const STATUS_WORDS: Record<string, string> = {
  pending: 'received, not yet shipped',
  'pending (item modified)': 'received, not yet shipped',
  processed: 'being prepared for shipment',
  partially_shipped: 'partly shipped',
  shipped: 'shipped, on its way',
  delivered: 'delivered',
  exception: 'delayed: the carrier reported a problem, our team is on it',
  on_hold: 'on hold for review',
  cancelled: 'cancelled',
  'return requested': 'return in progress',
  'exchange requested': 'exchange in progress',
};

const longDate = (d: Date) =>
  d.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/**
 * The facts a "where is my order" answer needs, one block per shipment: status, carrier,
 * tracking number, the order's tracking page (`trackingPage`: its signed link), expected (or
 * actual) delivery date. Empty for an order that has not shipped; its status is in the answer itself.
 */
export function shipmentDetails(order: OrderRecord, trackingPage: (orderId: string) => string): string {
  const blocks: string[] = [];
  for (const f of order.shipments) {
    const tracking = f.trackingIds[0];
    if (!tracking || f.status === 'voided') continue;
    // A label can exist before the parcel leaves: until the carrier has it, the order's own status says more.
    const status = f.deliveredAt
      ? 'delivered'
      : f.shippedAt
        ? (STATUS_WORDS[f.status] ?? f.status)
        : (STATUS_WORDS[order.status] ?? order.status);
    const expected = f.deliveredAt
      ? `delivered on ${longDate(f.deliveredAt)}`
      : (f.expectedDeliveryAt ?? f.promisedAt)
        ? longDate((f.expectedDeliveryAt ?? f.promisedAt)!)
        : 'the carrier has not given a date yet';
    blocks.push(
      renderPrompt('email-shipment-details', {
        order_id: order.id,
        status,
        carrier: f.carrier ? f.carrier[0]!.toUpperCase() + f.carrier.slice(1) : 'not recorded',
        tracking: f.trackingIds.join(', '),
        link: trackingPage(order.id),
        expected,
      }),
    );
  }
  return blocks.join('\n\n');
}
