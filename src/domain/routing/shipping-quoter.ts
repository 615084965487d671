import type { Parcel, ServiceLevel } from '../shipping/carrier.js';

/** One shipment the router might send: from a candidate location to the order's destination. */
export interface QuoteRequest {
  locationId: string;
  from: { country: string; state: string; zip: string; latitude: number | null; longitude: number | null };
  to: { country: string; state: string; zip: string };
  parcel: Parcel;
  serviceLevel: ServiceLevel;
}

export interface ShippingQuote {
  amount: number;
  currency: string;
  /** Business days in transit, null when the carrier gives none. */
  transitDays: number | null;
  carrier: string;
  service: string;
  /** True when the figure is our own rate-card estimate rather than a carrier's quote. */
  estimate: boolean;
}

/**
 * Prices shipments for the lowest-cost strategy and the promised date. Called BEFORE the
 * transaction that locks stock (a carrier round trip must never hold a stock lock), once per
 * candidate location, with the whole order's parcel. Returns, per request in order, the quotes
 * that meet the service level (empty when none).
 */
export interface ShippingQuoter {
  readonly code: string;
  quote(requests: QuoteRequest[]): Promise<ShippingQuote[][]>;
}
