import { km, orLast, type RoutingStrategy } from './routing-strategy.js';

/** The closest location to the destination (great-circle distance); unknown distances last. */
export const nearestStrategy: RoutingStrategy = {
  code: 'nearest',
  summary: 'nearest location with full stock',
  split: 'rank',
  rankKey: (c) => [orLast(c.distanceKm), c.priority],
  why: (w) => `nearest to the destination (${km(w)})`,
};
