import type { CounterSnapshot, OrderObservation } from '../feature-counters.js';
import { nearestPlaceKm, placeDistanceKm } from '../place-distance-km.js';
import { median } from '../stats/robust-z.js';

/** Everything an order rule may look at: the order itself and the counters from before it. */
export interface OrderRiskFeatures {
  order: OrderObservation;
  counts: CounterSnapshot;
  /** Seconds from account creation to this purchase; null when the storefront did not say. */
  accountAgeSeconds: number | null;
  /** Km from the shipping address to the nearest place the account shipped to before; null when unknown or none. */
  nearestKnownPlaceKm: number | null;
  /** Km between the billing and the shipping address; null when either is missing or unmeasurable. */
  billingShippingKm: number | null;
  /** Median of the account's recent order values; null without history. */
  usualValueCents: number | null;
}

export function orderRiskFeatures(order: OrderObservation, counts: CounterSnapshot): OrderRiskFeatures {
  const created = order.accountCreatedAt?.getTime();
  const recent = counts.customer.recentValuesCents;
  return {
    order,
    counts,
    accountAgeSeconds: created === undefined || Number.isNaN(created) ? null : Math.max(0, (order.at.getTime() - created) / 1000),
    nearestKnownPlaceKm: order.shipTo ? nearestPlaceKm(order.shipTo, counts.customer.knownPlaces ?? []) : null,
    billingShippingKm: order.shipTo && order.billTo ? placeDistanceKm(order.billTo, order.shipTo) : null,
    usualValueCents: recent.length ? median(recent) : null,
  };
}
