import type { RoutingStrategyCode } from './routing-rule.js';
import type { ShippingQuote } from './shipping-quoter.js';

/** What a strategy may compare of a location that passed the eligibility checks. */
export interface RankedCandidate {
  locationId: string;
  priority: number;
  distanceKm: number | null;
  quote: ShippingQuote | null;
  /** Units of the order this location could ship on its own (stock, capabilities, weight). */
  coverableUnits: number;
}

/**
 * Orders eligible locations for one order. Pure. The engine always prefers a single location
 * that can ship everything; the strategy picks which one, and, when the order must split,
 * which location is taken next (`split: 'rank'` takes locations in rank order,
 * `'most_units'` the one covering most of what is left, rank breaking ties).
 */
export interface RoutingStrategy {
  readonly code: RoutingStrategyCode;
  readonly summary: string;
  readonly split: 'rank' | 'most_units';
  /** Ascending keys: the lower key ranks first; location id breaks full ties. */
  rankKey(c: RankedCandidate): number[];
  /** Why the winner ranked first, in words. */
  why(winner: RankedCandidate): string;
}

export function compareCandidates(strategy: RoutingStrategy, a: RankedCandidate, b: RankedCandidate): number {
  const ka = strategy.rankKey(a);
  const kb = strategy.rankKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0;
}

export const km = (c: RankedCandidate) => (c.distanceKm === null ? 'distance unknown' : `${Math.round(c.distanceKm)} km away`);
export const orLast = (n: number | null | undefined) => (n === null || n === undefined ? Number.MAX_SAFE_INTEGER : n);
