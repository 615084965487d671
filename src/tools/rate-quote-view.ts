import type { Rate } from '../domain/shipping/carrier.js';
import type { PartQuote } from '../domain/shipping/quote-order-rates.js';

/** A quote as the model reads it. */
export function rateView(r: Rate) {
  return {
    rate_id: r.rateId,
    account: r.account,
    carrier: r.carrier,
    service: r.service,
    service_level: r.serviceLevel,
    amount: r.amount,
    currency: r.currency,
    transit_days: r.transitDays,
  };
}

/** Each part of an order still to be labelled, its quotes and the one fulfilling would buy. */
export function partQuoteView(q: PartQuote) {
  return {
    shipment_id: q.shipmentId,
    location_id: q.locationId,
    would_buy: q.chosen ? rateView(q.chosen) : null,
    why: q.explanation,
    rates: q.rates.map(rateView),
  };
}
