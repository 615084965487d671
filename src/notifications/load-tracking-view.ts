import type { Db } from '../db/db.js';
import { listOrderTrackingEvents } from '../domain/shipping/shipment-repository.js';

/** One carrier scan as the customer sees it. */
export interface TrackingViewEvent {
  status: string;
  detail: string;
  location: string;
  occurredAt: Date;
}

export interface TrackingViewItem {
  name: string;
  /** The variant's options as the customer chose them ("M / Navy"), or empty. */
  options: string;
  quantity: number;
}

/** One parcel of the order. */
export interface TrackingViewShipment {
  /** 1 for the first parcel, in the order they were made. */
  number: number;
  carrier: string | null;
  service: string | null;
  trackingNumber: string | null;
  status: string;
  promisedAt: Date | null;
  expectedDeliveryAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  items: TrackingViewItem[];
  /** Oldest first. */
  events: TrackingViewEvent[];
}

/**
 * What the public tracking page may show of one order, and nothing more: no address, email,
 * phone or price is read, so none can leak into the page whatever its template says.
 */
export interface TrackingView {
  orderId: string;
  /** The number the customer knows the order by. */
  orderNumber: string;
  /** The customer's first name only. */
  firstName: string;
  orderStatus: string;
  placedAt: Date;
  promisedDeliveryAt: Date | null;
  /** Live parcels in position order; voided labels are left out. */
  shipments: TrackingViewShipment[];
  /** Lines that ship and are in no parcel yet. */
  unshippedItems: TrackingViewItem[];
}

interface OrderRow {
  id: string;
  status: string;
  placed_at: Date | string;
  promised_delivery_at: Date | string | null;
  first_name: string;
}

interface ShipmentRow {
  id: string | number;
  carrier: string | null;
  service: string | null;
  tracking_number: string | null;
  tracking_ids: string[];
  item_ids: string[];
  status: string;
  promised_at: Date | string | null;
  expected_delivery_at: Date | string | null;
  shipped_at: Date | string | null;
  delivered_at: Date | string | null;
}

interface LineRow {
  shipment_id: string | number | null;
  variant_id: string;
  name: string;
  options: Record<string, unknown> | null;
  quantity: number;
  requires_shipping: boolean;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

const optionText = (options: Record<string, unknown> | null) =>
  Object.values(options ?? {})
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .join(' / ');

const item = (l: LineRow, quantity = l.quantity): TrackingViewItem => ({ name: l.name, options: optionText(l.options), quantity });

/**
 * The tracking page's view of one order, or null when there is no such order. Called only after
 * the page's signed token has named the order, so the id is never a guess.
 */
export async function loadTrackingView(db: Db, orderId: string): Promise<TrackingView | null> {
  const { rows: orders } = await db.query<OrderRow>(
    `SELECT o.id, o.status, o.placed_at, o.promised_delivery_at, c.first_name
       FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1`,
    [orderId],
  );
  const order = orders[0];
  if (!order) return null;
  const [{ rows: shipmentRows }, { rows: lines }, events] = await Promise.all([
    db.query<ShipmentRow>(
      `SELECT id, carrier, service, tracking_number, tracking_ids, item_ids, status, promised_at, expected_delivery_at, shipped_at, delivered_at
         FROM shipments WHERE order_id = $1 AND status <> 'voided' AND voided_at IS NULL ORDER BY position`,
      [orderId],
    ),
    db.query<LineRow>(
      'SELECT shipment_id, variant_id, name, options, quantity, requires_shipping FROM order_lines WHERE order_id = $1 ORDER BY position',
      [orderId],
    ),
    listOrderTrackingEvents(db, orderId),
  ]);

  const shipments = shipmentRows.map((s, i): TrackingViewShipment => {
    const id = Number(s.id);
    const own = lines.filter((l) => l.shipment_id !== null && Number(l.shipment_id) === id).map((l) => item(l));
    return {
      number: i + 1,
      carrier: s.carrier,
      service: s.service,
      trackingNumber: s.tracking_number ?? s.tracking_ids[0] ?? null,
      status: s.status,
      promisedAt: date(s.promised_at),
      expectedDeliveryAt: date(s.expected_delivery_at),
      shippedAt: date(s.shipped_at),
      deliveredAt: date(s.delivered_at),
      // Imported history names a parcel's items by variant id instead of linking its lines.
      items: own.length ? own : legacyItems(s.item_ids, lines),
      events: events.get(id) ?? [],
    };
  });
  const hasLegacyItems = shipmentRows.some((s) => s.item_ids.length > 0);
  const unshippedItems = hasLegacyItems ? [] : lines.filter((l) => l.shipment_id === null && l.requires_shipping).map((l) => item(l));

  return {
    orderId: order.id,
    orderNumber: order.id,
    firstName: order.first_name.trim().split(/\s+/)[0] ?? '',
    orderStatus: order.status,
    placedAt: date(order.placed_at)!,
    promisedDeliveryAt: date(order.promised_delivery_at),
    shipments,
    unshippedItems,
  };
}

function legacyItems(itemIds: readonly string[], lines: readonly LineRow[]): TrackingViewItem[] {
  const counts = new Map<string, number>();
  for (const id of itemIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].flatMap(([variantId, quantity]) => {
    const line = lines.find((l) => l.variant_id === variantId);
    return line ? [item(line, quantity)] : [];
  });
}
