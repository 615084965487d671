import type { NotificationContext, ShipmentContext, TimelineEvent } from './notification-context.js';
import { notificationLinks } from './notification-links.js';
import type { NotificationTrigger } from './workflow.js';

const STORE = { name: 'Fernwood Outfitters', support_email: 'help@shop.example.com', public_url: 'https://shop.example.com', timezone: 'America/New_York' };
const ORDER_NUMBER = '#W4182730';
// A fixed secret so previews show links of the real shape; nothing verifies them.
const links = notificationLinks(STORE.public_url, 'sample-signing-secret');

const scan = (status: string, detail: string, location: string, occurred_at: string): TimelineEvent => ({ status, detail, location, occurred_at });

const EVENTS = {
  labelled: scan('pre_transit', 'Shipping label created', 'Columbus, OH', '2025-06-09T15:12:00Z'),
  pickedUp: scan('in_transit', 'Picked up by carrier', 'Columbus, OH', '2025-06-09T21:40:00Z'),
  hub: scan('in_transit', 'Arrived at sort facility', 'Harrisburg, PA', '2025-06-10T09:05:00Z'),
  delay: scan('in_transit', 'Delayed by severe weather; the parcel is safe at the facility', 'Harrisburg, PA', '2025-06-11T13:30:00Z'),
  local: scan('in_transit', 'Arrived at local delivery station', 'Brooklyn, NY', '2025-06-12T06:20:00Z'),
  outForDelivery: scan('out_for_delivery', 'Out for delivery', 'Brooklyn, NY', '2025-06-12T12:02:00Z'),
  delivered: scan('delivered', 'Delivered, left at front door', 'Brooklyn, NY', '2025-06-12T19:47:00Z'),
  addressProblem: scan('exception', 'Delivery attempted: apartment number missing from the address', 'Brooklyn, NY', '2025-06-12T17:15:00Z'),
};

/** The parcel as it stands when `trigger` fires: its scans, dates and status move on with the story. */
function sampleShipment(trigger: NotificationTrigger): ShipmentContext {
  const timeline: Record<string, { status: string; events: TimelineEvent[]; expected: string | null; delivered: string | null }> = {
    'shipment.shipped': { status: 'pre_transit', events: [EVENTS.labelled, EVENTS.pickedUp], expected: '2025-06-12T22:00:00Z', delivered: null },
    'shipment.in_transit': { status: 'in_transit', events: [EVENTS.labelled, EVENTS.pickedUp, EVENTS.hub], expected: '2025-06-12T22:00:00Z', delivered: null },
    'shipment.delayed': { status: 'in_transit', events: [EVENTS.labelled, EVENTS.pickedUp, EVENTS.hub, EVENTS.delay], expected: '2025-06-14T22:00:00Z', delivered: null },
    'shipment.out_for_delivery': { status: 'out_for_delivery', events: [EVENTS.labelled, EVENTS.pickedUp, EVENTS.hub, EVENTS.local, EVENTS.outForDelivery], expected: '2025-06-12T22:00:00Z', delivered: null },
    'shipment.exception': { status: 'exception', events: [EVENTS.labelled, EVENTS.pickedUp, EVENTS.hub, EVENTS.local, EVENTS.outForDelivery, EVENTS.addressProblem], expected: null, delivered: null },
  };
  const deliveredStory = { status: 'delivered', events: [EVENTS.labelled, EVENTS.pickedUp, EVENTS.hub, EVENTS.local, EVENTS.outForDelivery, EVENTS.delivered], expected: '2025-06-12T22:00:00Z', delivered: EVENTS.delivered.occurred_at };
  const story = timeline[trigger] ?? deliveredStory;
  return {
    id: 5101,
    carrier: 'UPS',
    service: 'Ground',
    tracking_number: '1Z999AA10123456784',
    carrier_tracking_url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    status: story.status,
    shipped_at: EVENTS.labelled.occurred_at,
    expected_delivery_at: story.expected,
    delivered_at: story.delivered,
    latest_event: story.events.at(-1) ?? null,
    events: story.events,
    items: [
      { name: 'Merino Trail Sweater', quantity: 1 },
      { name: 'Waxed Canvas Tote', quantity: 2 },
    ],
  };
}

const EVENT_BY_TRIGGER: Partial<Record<NotificationTrigger, NotificationContext['event']>> = {
  'shipment.delayed': { kind: 'carrier_delay', detail: 'Severe weather near the Harrisburg, PA sort facility' },
  'shipment.exception': { kind: 'address', detail: 'The apartment number is missing from the address' },
};

const ORDER_LEVEL: NotificationTrigger[] = ['order.confirmed', 'order.cancelled'];

/**
 * A realistic, made-up context for `trigger`: what previews show and tests render. Order-level
 * triggers have no shipment; shipment triggers see the parcel at that point of its journey; the
 * refund triggers carry a refund. The customer is on their first order: spread in a different
 * `customer` to see a repeat customer's words.
 */
export function sampleNotificationContext(trigger: NotificationTrigger): NotificationContext {
  const shipment = ORDER_LEVEL.includes(trigger) ? null : sampleShipment(trigger);
  const refund =
    trigger === 'refund.issued' ? { amount: '38.00', currency: 'USD' } : trigger === 'order.cancelled' ? { amount: '156.00', currency: 'USD' } : null;
  return {
    trigger,
    store: { ...STORE },
    customer: {
      id: 'cus_ada_1815',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone: '+15555550123',
      order_count: 1,
      first_order: true,
    },
    order: {
      id: ORDER_NUMBER,
      number: ORDER_NUMBER,
      status: trigger === 'order.confirmed' ? 'paid' : trigger === 'order.cancelled' ? 'cancelled' : shipment?.status === 'delivered' ? 'delivered' : 'shipped',
      created_at: '2025-06-08T18:24:00Z',
      currency: 'USD',
      total: '156.00',
      promised_delivery_at: '2025-06-13T03:59:00Z',
      shipping_address: {
        name: 'Ada Lovelace',
        address1: '12 St James Place',
        address2: '',
        city: 'Brooklyn',
        state: 'NY',
        zip: '11205',
        country: 'United States',
      },
      lines: [
        { name: 'Merino Trail Sweater', sku: 'FW-SWT-MER-M-GRN', quantity: 1, price: '98.00', options: 'Size M / Forest green' },
        { name: 'Waxed Canvas Tote', sku: 'FW-TOTE-WAX', quantity: 2, price: '29.00', options: '' },
      ],
    },
    shipment,
    shipments: shipment ? [shipment] : [],
    event: EVENT_BY_TRIGGER[trigger] ?? { kind: null, detail: null },
    refund,
    links: {
      tracking_page: links.trackingPage(ORDER_NUMBER),
      unsubscribe: links.unsubscribe('cus_ada_1815', 'transactional'),
      support: `mailto:${STORE.support_email}?subject=${encodeURIComponent(`Order ${ORDER_NUMBER}`)}`,
    },
  };
}
