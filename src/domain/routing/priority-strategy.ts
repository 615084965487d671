import { km, orLast, type RoutingStrategy } from './routing-strategy.js';

/** The location with the lowest priority number first. */
export const priorityStrategy: RoutingStrategy = {
  code: 'priority',
  summary: 'priority list: lowest location priority first',
  split: 'rank',
  rankKey: (c) => [c.priority, orLast(c.distanceKm)],
  why: (w) => `first in the priority list (priority ${w.priority}, ${km(w)})`,
};
