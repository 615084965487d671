import type { Db } from '../db/db.js';
import { centsToNumeric } from '../domain/money.js';
import { loadOrder, type OrderShipment } from '../domain/orders/order-repository.js';
import { storedOrderTotal } from '../domain/orders/order-total.js';
import { listOrderTrackingEvents, type ShipmentEvent } from '../domain/shipping/shipment-repository.js';
import { carrierTrackingUrl } from './carrier-tracking-link.js';
import { e164Phone } from './e164-phone.js';
import type { NotificationContext, ShipmentContext, TimelineEvent } from './notification-context.js';
import type { MessageCategory, NotificationLinks } from './notification-links.js';
import type { NotificationTrigger } from './workflow.js';

/** What a context is about: the order, the trigger's shipment (if any) and what happened. */
export interface NotificationContextRef {
  orderId: string;
  shipmentId: number | null;
  trigger: NotificationTrigger;
  event?: { kind: string | null; detail: string | null };
  refund?: { amount: string; currency: string } | null;
  /** Which unsubscribe link the message carries; transactional when not given. */
  category?: MessageCategory;
}

export interface NotificationContextEnv {
  store: { name: string; supportEmail: string; publicUrl: string; timezone: string };
  links: NotificationLinks;
}

interface CustomerRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  order_count: number;
  skus: Record<string, string> | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const timelineOf = (e: ShipmentEvent): TimelineEvent => ({ status: e.status, detail: e.detail, location: e.location, occurred_at: e.occurredAt.toISOString() });

/**
 * The context of one message, read fresh from the ledger: conditions test it, templates read it.
 * Null when the order no longer exists. The trigger's shipment is there even when its label was
 * voided since (the `shipments` list leaves voided ones out: they never left).
 */
export async function loadNotificationContext(db: Db, ref: NotificationContextRef, env: NotificationContextEnv): Promise<NotificationContext | null> {
  const order = await loadOrder(db, ref.orderId);
  if (!order) return null;
  // The orders placed up to this one: PostgreSQL keeps microseconds, so the comparison stays in
  // SQL; two placed at the same instant are told apart by the order they were recorded in (seq).
  const { rows } = await db.query<CustomerRow>(
    `SELECT c.id, c.first_name, c.last_name, c.email, c.phone,
            (SELECT count(*)::int FROM orders p, orders o
              WHERE o.id = $2 AND p.customer_id = c.id AND (p.placed_at, p.seq) <= (o.placed_at, o.seq)) AS order_count,
            (SELECT jsonb_object_agg(l.id::text, v.sku) FROM order_lines l JOIN variants v ON v.id = l.variant_id
              WHERE l.order_id = $2) AS skus
       FROM customers c WHERE c.id = $1`,
    [order.customerId, order.id],
  );
  const customer = rows[0];
  if (!customer) return null;
  const events = await listOrderTrackingEvents(db, order.id);
  const trackingPage = env.links.trackingPage(order.id);
  const nameOf = new Map(order.lines.map((l) => [l.variantId, l.name]));

  const shipmentOf = (s: OrderShipment): ShipmentContext => {
    const timeline = (events.get(s.id) ?? []).map(timelineOf);
    const counts = new Map<string, number>();
    for (const variantId of s.itemIds) {
      const name = nameOf.get(variantId) ?? variantId;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return {
      id: s.id,
      carrier: s.carrier,
      service: s.service,
      tracking_number: s.trackingNumber,
      carrier_tracking_url: carrierTrackingUrl(s.carrier, s.trackingNumber, trackingPage),
      status: s.status,
      shipped_at: iso(s.shippedAt),
      expected_delivery_at: iso(s.expectedDeliveryAt),
      delivered_at: iso(s.deliveredAt),
      latest_event: timeline[timeline.length - 1] ?? null,
      events: timeline,
      items: [...counts].map(([name, quantity]) => ({ name, quantity })),
    };
  };
  const all = order.shipments.map(shipmentOf);
  const number = order.id;
  const a = order.address;
  const billingPhone = typeof order.extras.billingAddress?.phone === 'string' ? order.extras.billingAddress.phone : null;

  return {
    trigger: ref.trigger,
    store: { name: env.store.name, support_email: env.store.supportEmail, public_url: env.store.publicUrl, timezone: env.store.timezone },
    customer: {
      id: customer.id,
      first_name: customer.first_name,
      last_name: customer.last_name,
      email: order.email?.trim() || customer.email,
      phone: e164Phone(customer.phone, a.country) ?? e164Phone(billingPhone, a.country),
      order_count: customer.order_count,
      first_order: customer.order_count <= 1,
    },
    order: {
      id: order.id,
      number,
      status: order.status,
      created_at: order.placedAt.toISOString(),
      currency: order.currency,
      total: centsToNumeric(storedOrderTotal(order).totalCents),
      promised_delivery_at: iso(order.promisedDeliveryAt),
      shipping_address: a.address1
        ? { name: `${customer.first_name} ${customer.last_name}`.trim(), address1: a.address1, address2: a.address2, city: a.city, state: a.state, zip: a.zip, country: a.country }
        : null,
      lines: order.lines.map((l) => ({
        name: l.name,
        sku: customer.skus?.[String(l.id)] ?? '',
        quantity: l.quantity,
        price: centsToNumeric(l.priceCents),
        options: Object.entries(l.options ?? {}).map(([k, v]) => `${k}: ${v}`).join(', '),
      })),
    },
    shipment: ref.shipmentId === null ? null : (all.find((s) => s.id === ref.shipmentId) ?? null),
    shipments: all.filter((s) => s.status !== 'voided'),
    event: { kind: ref.event?.kind ?? null, detail: ref.event?.detail ?? null },
    refund: ref.refund ?? null,
    links: {
      tracking_page: trackingPage,
      unsubscribe: env.links.unsubscribe(customer.id, ref.category ?? 'transactional'),
      support: `mailto:${env.store.supportEmail}?subject=${encodeURIComponent(`Order ${number}`)}`,
    },
  };
}
