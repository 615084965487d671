import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import { countryCode } from '../routing/country-code.js';
import type { Parcel, RateRequest, ShippingAddress } from './carrier.js';

// Carriers refuse a weightless parcel; catalog rows without a weight ship as one ounce.
const MIN_WEIGHT_GRAMS = 28;

/**
 * What a carrier is asked to quote for a shipment: from its location's address, to the order's,
 * the parcel its lines make (weights summed, the largest footprint, heights stacked).
 */
export async function shipmentRateRequest(db: Db, shipmentId: number): Promise<RateRequest> {
  const { rows } = await db.query<{ order_id: string; location_id: string | null }>(
    'SELECT order_id, location_id FROM shipments WHERE id = $1',
    [shipmentId],
  );
  const s = rows[0];
  if (!s) throw new DomainError('not_found', 'shipment_not_found', `shipment ${shipmentId} not found`);
  if (!s.location_id) throw new DomainError('conflict', 'shipment_without_location', `shipment ${shipmentId} has no location to ship from`);
  const lines = await db.query<{ id: number }>('SELECT id FROM order_lines WHERE shipment_id = $1', [shipmentId]);
  return partRateRequest(db, {
    orderId: s.order_id,
    locationId: s.location_id,
    lineIds: lines.rows.map((l) => Number(l.id)),
    reference: `shipment-${shipmentId}`,
  });
}

/** The request for a part of an order not yet a shipment: these lines, from this location. */
export async function partRateRequest(
  db: Db,
  part: { orderId: string; locationId: string; lineIds: readonly number[]; reference: string },
): Promise<RateRequest> {
  const { rows } = await db.query<{
    location_id: string | null;
    l_name: string | null;
    l_address1: string | null;
    l_city: string | null;
    l_state: string | null;
    l_zip: string | null;
    l_country: string | null;
    address1: string;
    address2: string;
    city: string;
    state: string;
    zip: string;
    country: string;
    email: string | null;
    first_name: string;
    last_name: string;
  }>(
    `SELECT l.id AS location_id, l.name AS l_name, l.address1 AS l_address1, l.city AS l_city, l.state AS l_state,
            l.zip AS l_zip, l.country AS l_country, o.address1, o.address2, o.city, o.state, o.zip, o.country,
            o.email, c.first_name, c.last_name
       FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN locations l ON l.id = $2
      WHERE o.id = $1`,
    [part.orderId, part.locationId],
  );
  const r = rows[0];
  if (!r) throw new DomainError('not_found', 'order_not_found', `order ${part.orderId} not found`);
  if (r.location_id === null || r.l_address1 === null) {
    throw new DomainError('conflict', 'unknown_location', `location ${part.locationId} is not known`);
  }
  const from: ShippingAddress = {
    name: r.l_name ?? r.location_id,
    address1: r.l_address1,
    city: r.l_city ?? '',
    state: r.l_state ?? '',
    zip: r.l_zip ?? '',
    country: countryCode(r.l_country ?? '') ?? r.l_country ?? '',
  };
  const to: ShippingAddress = {
    name: `${r.first_name} ${r.last_name}`.trim(),
    address1: r.address1,
    ...(r.address2 ? { address2: r.address2 } : {}),
    city: r.city,
    state: r.state,
    zip: r.zip,
    country: countryCode(r.country) ?? r.country,
    ...(r.email ? { email: r.email } : {}),
  };
  return { from, to, parcel: await parcelOf(db, part.lineIds), reference: part.reference };
}

async function parcelOf(db: Db, lineIds: readonly number[]): Promise<Parcel> {
  const { rows } = await db.query<{ weight: number; length: number; width: number; height: number }>(
    `SELECT COALESCE(sum(v.weight_grams * l.quantity), 0)::int AS weight, COALESCE(max(v.length_mm), 0)::int AS length,
            COALESCE(max(v.width_mm), 0)::int AS width, COALESCE(sum(v.height_mm * l.quantity), 0)::int AS height
       FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.id = ANY($1::bigint[])`,
    [lineIds],
  );
  const p = rows[0]!;
  return { weightGrams: Math.max(MIN_WEIGHT_GRAMS, p.weight), lengthMm: p.length, widthMm: p.width, heightMm: p.height };
}
