import type { Db } from '../../db/db.js';

/** A shipment with its label and tracking, as the shipping services and views read it. */
export interface Shipment {
  id: number;
  orderId: string;
  position: number;
  locationId: string | null;
  status: string;
  carrierAccount: string | null;
  carrier: string | null;
  service: string | null;
  serviceLevel: string | null;
  trackingNumber: string | null;
  rateId: string | null;
  rateAmount: string | null;
  rateCurrency: string | null;
  carrierShipmentId: string | null;
  labelId: string | null;
  labelIdempotencyKey: string | null;
  labelUrl: string | null;
  hasLabelPdf: boolean;
  weightGrams: number | null;
  itemIds: string[];
  promisedAt: Date | null;
  expectedDeliveryAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  lastEventAt: Date | null;
  labelPurchasedAt: Date | null;
  voidedAt: Date | null;
}

export interface ShipmentEvent {
  status: string;
  detail: string;
  location: string;
  occurredAt: Date;
}

interface ShipmentRow {
  id: string | number;
  order_id: string;
  position: number;
  location_id: string | null;
  status: string;
  carrier_account: string | null;
  carrier: string | null;
  service: string | null;
  service_level: string | null;
  tracking_number: string | null;
  rate_id: string | null;
  rate_amount: string | null;
  rate_currency: string | null;
  carrier_shipment_id: string | null;
  label_id: string | null;
  label_idempotency_key: string | null;
  label_url: string | null;
  has_label_pdf: boolean;
  weight_grams: number | null;
  item_ids: string[];
  promised_at: Date | string | null;
  expected_delivery_at: Date | string | null;
  shipped_at: Date | string | null;
  delivered_at: Date | string | null;
  last_event_at: Date | string | null;
  label_purchased_at: Date | string | null;
  voided_at: Date | string | null;
}

const COLUMNS = `id, order_id, position, location_id, status, carrier_account, carrier, service, service_level,
  tracking_number, rate_id, rate_amount::text AS rate_amount, rate_currency, carrier_shipment_id, label_id,
  label_idempotency_key, label_url, label_pdf IS NOT NULL AS has_label_pdf, weight_grams, item_ids, promised_at,
  expected_delivery_at, shipped_at, delivered_at, last_event_at, label_purchased_at, voided_at`;

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

function toShipment(r: ShipmentRow): Shipment {
  return {
    id: Number(r.id),
    orderId: r.order_id,
    position: r.position,
    locationId: r.location_id,
    status: r.status,
    carrierAccount: r.carrier_account,
    carrier: r.carrier,
    service: r.service,
    serviceLevel: r.service_level,
    trackingNumber: r.tracking_number,
    rateId: r.rate_id,
    rateAmount: r.rate_amount,
    rateCurrency: r.rate_currency,
    carrierShipmentId: r.carrier_shipment_id,
    labelId: r.label_id,
    labelIdempotencyKey: r.label_idempotency_key,
    labelUrl: r.label_url,
    hasLabelPdf: r.has_label_pdf,
    weightGrams: r.weight_grams,
    itemIds: r.item_ids,
    promisedAt: date(r.promised_at),
    expectedDeliveryAt: date(r.expected_delivery_at),
    shippedAt: date(r.shipped_at),
    deliveredAt: date(r.delivered_at),
    lastEventAt: date(r.last_event_at),
    labelPurchasedAt: date(r.label_purchased_at),
    voidedAt: date(r.voided_at),
  };
}

/** The order's shipments in position order, voided ones included. */
export async function listOrderShipments(db: Db, orderId: string): Promise<Shipment[]> {
  const { rows } = await db.query<ShipmentRow>(`SELECT ${COLUMNS} FROM shipments WHERE order_id = $1 ORDER BY position`, [orderId]);
  return rows.map(toShipment);
}

/** One shipment, or null; `forUpdate` locks its row until the caller's transaction ends. */
export async function findShipment(db: Db, id: number, options: { forUpdate?: boolean } = {}): Promise<Shipment | null> {
  const { rows } = await db.query<ShipmentRow>(
    `SELECT ${COLUMNS} FROM shipments WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toShipment(rows[0]) : null;
}

/** The shipment a carrier account's tracking number belongs to (the latest, should a number be reused). */
export async function findShipmentByTracking(db: Db, account: string, trackingNumber: string): Promise<Shipment | null> {
  const { rows } = await db.query<ShipmentRow>(
    `SELECT ${COLUMNS} FROM shipments WHERE carrier_account = $1 AND tracking_number = $2 ORDER BY id DESC LIMIT 1`,
    [account, trackingNumber],
  );
  return rows[0] ? toShipment(rows[0]) : null;
}

/** The carrier events of one shipment, oldest first. */
export async function listShipmentEvents(db: Db, shipmentId: number): Promise<ShipmentEvent[]> {
  const { rows } = await db.query<{ status: string; detail: string; location: string; occurred_at: Date | string }>(
    'SELECT status, detail, location, occurred_at FROM tracking_events WHERE shipment_id = $1 ORDER BY occurred_at, id',
    [shipmentId],
  );
  return rows.map((r) => ({ status: r.status, detail: r.detail, location: r.location, occurredAt: date(r.occurred_at)! }));
}

/** The label PDF as stored, or null when the carrier gave a URL instead (or there is no label). */
export async function loadLabelPdf(db: Db, shipmentId: number): Promise<Buffer | null> {
  const { rows } = await db.query<{ label_pdf: Uint8Array | null }>('SELECT label_pdf FROM shipments WHERE id = $1', [shipmentId]);
  const pdf = rows[0]?.label_pdf;
  return pdf ? Buffer.from(pdf) : null;
}

/** Every carrier event of an order's shipments, by shipment id, oldest first. */
export async function listOrderTrackingEvents(db: Db, orderId: string): Promise<Map<number, ShipmentEvent[]>> {
  const { rows } = await db.query<{ shipment_id: number; status: string; detail: string; location: string; occurred_at: Date | string }>(
    `SELECT e.shipment_id, e.status, e.detail, e.location, e.occurred_at FROM tracking_events e
       JOIN shipments s ON s.id = e.shipment_id WHERE s.order_id = $1 ORDER BY e.occurred_at, e.id`,
    [orderId],
  );
  const byShipment = new Map<number, ShipmentEvent[]>();
  for (const r of rows) {
    const id = Number(r.shipment_id);
    byShipment.set(id, [...(byShipment.get(id) ?? []), { status: r.status, detail: r.detail, location: r.location, occurredAt: date(r.occurred_at)! }]);
  }
  return byShipment;
}
