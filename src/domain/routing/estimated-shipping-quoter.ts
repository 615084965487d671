import { estimatedTransitDays, shippingZone } from '../shipping/shipping-zone.js';
import type { ServiceLevel } from '../shipping/carrier.js';
import { countryCode } from './country-code.js';
import { greatCircleKm } from './great-circle-km.js';
import { postalCoordinates } from './postal-coordinates.js';
import type { QuoteRequest, ShippingQuote, ShippingQuoter } from './shipping-quoter.js';

// A simple rate card in cents: a base per service level plus a step per zone and per started kg.
const BASE: Record<ServiceLevel, number> = { economy: 450, standard: 650, expedited: 1250, overnight: 2800 };
const PER_ZONE = 60;
const PER_KG = 90;

/** Where a request ships from: the location's stored coordinates, else its postal code. */
export function originCoordinates(from: QuoteRequest['from']): { latitude: number; longitude: number } | null {
  if (from.latitude !== null && from.longitude !== null) return { latitude: from.latitude, longitude: from.longitude };
  return from.zip ? postalCoordinates(from) : null;
}

/** The zone between a request's origin and destination, or null when either cannot be placed. */
export function zoneOf(request: QuoteRequest): number | null {
  const origin = originCoordinates(request.from);
  const dest = postalCoordinates(request.to);
  if (!origin || !dest) return null;
  const same = countryCode(request.from.country) !== null && countryCode(request.from.country) === countryCode(request.to.country);
  return shippingZone(greatCircleKm(origin, dest), same);
}

/**
 * The quoter used when no carrier rate shopping is wired: a rate card over the shipping zone.
 * Its quotes say `estimate: true` and the routing explanation labels them as estimates.
 */
export const estimatedShippingQuoter: ShippingQuoter = {
  code: 'estimate',
  async quote(requests) {
    return requests.map((r) => estimateQuote(r));
  },
};

export function estimateQuote(r: QuoteRequest): ShippingQuote[] {
  const zone = zoneOf(r) ?? 8;
  const kg = Math.max(1, Math.ceil(r.parcel.weightGrams / 1000));
  const cents = BASE[r.serviceLevel] + PER_ZONE * zone + PER_KG * kg;
  return [
    {
      amount: cents / 100,
      currency: 'USD',
      transitDays: estimatedTransitDays(zone, r.serviceLevel),
      carrier: 'estimate',
      service: `${r.serviceLevel} zone ${zone}`,
      estimate: true,
    },
  ];
}
