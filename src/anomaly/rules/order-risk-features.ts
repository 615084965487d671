import type { CounterSnapshot, OrderObservation } from '../feature-counters.js';

/** Everything an order rule may look at: the order itself and the counters from before it. */
export interface OrderRiskFeatures {
  order: OrderObservation;
  counts: CounterSnapshot;
  /** Seconds from account creation to this purchase; null when the storefront did not say. */
  accountAgeSeconds: number | null;
}

export function orderRiskFeatures(order: OrderObservation, counts: CounterSnapshot): OrderRiskFeatures {
  const created = order.accountCreatedAt?.getTime();
  return {
    order,
    counts,
    accountAgeSeconds: created === undefined || Number.isNaN(created) ? null : Math.max(0, (order.at.getTime() - created) / 1000),
  };
}
