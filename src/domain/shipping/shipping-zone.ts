import type { ServiceLevel } from './carrier.js';

/**
 * Domestic zones by distance, the way US carriers band them (zone 1-2 local, 8 coast to coast);
 * 9 is international. Used for transit estimates at routing time and by the sandbox carrier.
 */
export function shippingZone(distanceKm: number, sameCountry: boolean): number {
  if (!sameCountry) return 9;
  const bands = [80, 240, 480, 970, 1450, 2250, 2900];
  const i = bands.findIndex((limit) => distanceKm <= limit);
  return i < 0 ? 8 : i + 1;
}

const TRANSIT_DAYS: Record<ServiceLevel, (zone: number) => number> = {
  economy: (zone) => (zone >= 9 ? 12 : Math.min(8, 2 + Math.ceil(zone / 2))),
  standard: (zone) => (zone >= 9 ? 8 : zone <= 2 ? 2 : zone <= 4 ? 3 : zone <= 6 ? 4 : 5),
  expedited: (zone) => (zone >= 9 ? 5 : zone <= 4 ? 2 : 3),
  overnight: (zone) => (zone >= 9 ? 3 : 1),
};

/** Business days a parcel takes in a zone at a service level, before a carrier quotes its own. */
export function estimatedTransitDays(zone: number, level: ServiceLevel): number {
  return TRANSIT_DAYS[level](zone);
}
