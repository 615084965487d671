import { km, orLast, type RoutingStrategy } from './routing-strategy.js';

/** The cheapest quote for the order's parcel; faster transit, then distance, break ties. */
export const lowestCostStrategy: RoutingStrategy = {
  code: 'lowest_cost',
  summary: 'lowest total shipping cost',
  split: 'rank',
  rankKey: (c) => [c.quote ? Math.round(c.quote.amount * 100) : Number.MAX_SAFE_INTEGER, orLast(c.quote?.transitDays), orLast(c.distanceKm)],
  why: (w) =>
    w.quote
      ? `cheapest shipping: ${w.quote.amount.toFixed(2)} ${w.quote.currency} ${w.quote.estimate ? '(estimated from the zone rate card, not a carrier quote)' : `(${w.quote.carrier} ${w.quote.service})`}, ${km(w)}`
      : `no quote for any location; ${km(w)}`,
};
