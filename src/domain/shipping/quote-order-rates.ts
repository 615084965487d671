import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';
import type { Carrier, Rate, ServiceLevel } from './carrier.js';
import { shopShipmentRate } from './shop-shipment-rate.js';
import { partRateRequest, shipmentRateRequest } from './shipment-rate-request.js';
import { listOrderShipments } from './shipment-repository.js';

export interface PartQuote {
  /** The shipment waiting for its label, or null for lines not yet in a shipment. */
  shipmentId: number | null;
  locationId: string;
  rates: Rate[];
  /** What fulfilling would buy (see shopShipmentRate). */
  chosen: Rate | null;
  /** Rate shopping's account of the choice. */
  explanation: string;
}

/**
 * Quotes every part of the order that still needs a label: each unlabelled shipment, and the
 * lines not yet in one, grouped by the location they ship from. Buys nothing, writes nothing.
 */
export async function quoteOrderRates(
  db: Db,
  carriers: readonly Carrier[],
  orderId: string,
  options: { now?: Date } = {},
): Promise<PartQuote[]> {
  const { rows: order } = await db.query<{ service_level: string; promised_delivery_at: Date | string | null }>(
    'SELECT service_level, promised_delivery_at FROM orders WHERE id = $1',
    [orderId],
  );
  if (!order[0]) throw new DomainError('not_found', 'order_not_found', `order ${orderId} not found`);
  const want = {
    serviceLevel: order[0].service_level as ServiceLevel,
    promisedBy: order[0].promised_delivery_at ? new Date(order[0].promised_delivery_at) : null,
    shipDate: options.now ?? new Date(),
  };
  const parts: { shipmentId: number | null; locationId: string; request: () => ReturnType<typeof shipmentRateRequest> }[] = [];
  for (const s of await listOrderShipments(db, orderId)) {
    if (s.labelPurchasedAt || s.voidedAt || !s.locationId) continue;
    parts.push({ shipmentId: s.id, locationId: s.locationId, request: () => shipmentRateRequest(db, s.id) });
  }
  const { rows: open } = await db.query<{ id: number; location_id: string | null }>(
    'SELECT id, location_id FROM order_lines WHERE order_id = $1 AND shipment_id IS NULL AND location_id IS NOT NULL ORDER BY position',
    [orderId],
  );
  const byLocation = new Map<string, number[]>();
  for (const l of open) byLocation.set(l.location_id!, [...(byLocation.get(l.location_id!) ?? []), Number(l.id)]);
  for (const [locationId, lineIds] of byLocation) {
    parts.push({ shipmentId: null, locationId, request: () => partRateRequest(db, { orderId, locationId, lineIds, reference: `order-${orderId}-${locationId}` }) });
  }
  const { rows: zones } = await db.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM locations WHERE id = ANY($1)', [parts.map((p) => p.locationId)]);
  const zoneOf = new Map(zones.map((z) => [z.id, z.time_zone]));
  const quotes: PartQuote[] = [];
  for (const p of parts) {
    const { rate, shopping } = await shopShipmentRate(carriers, await p.request(), { ...want, timeZone: zoneOf.get(p.locationId) });
    quotes.push({ shipmentId: p.shipmentId, locationId: p.locationId, rates: shopping.considered.map((c) => c.rate), chosen: rate, explanation: shopping.explanation });
  }
  return quotes;
}
