import { km, orLast, type RoutingStrategy } from './routing-strategy.js';

/** As few parcels as possible: a split takes the location covering most of what is left first. */
export const fewestShipmentsStrategy: RoutingStrategy = {
  code: 'fewest_shipments',
  summary: 'fewest shipments',
  split: 'most_units',
  rankKey: (c) => [-c.coverableUnits, orLast(c.distanceKm), c.priority],
  why: (w) => `ships the most of the order from one place (${w.coverableUnits} units, ${km(w)})`,
};
