import type { QuoteRequest, ShippingQuote, ShippingQuoter } from '../routing/shipping-quoter.js';
import { CarrierError, type Carrier, type RateRequest } from './carrier.js';
import { collectRates } from './rate-shopping.js';
import { SERVICE_LEVELS } from './carrier.js';

const rank = (level: string) => SERVICE_LEVELS.indexOf(level as (typeof SERVICE_LEVELS)[number]);

function rateRequest(r: QuoteRequest): RateRequest {
  const place = (a: { country: string; state: string; zip: string }) => ({ address1: '', city: '', state: a.state, zip: a.zip, country: a.country });
  return { from: place(r.from), to: place(r.to), parcel: r.parcel, reference: `route:${r.locationId}` };
}

/**
 * Routing's quoter over the enabled carriers: for each candidate location, every rate at the
 * order's service level or faster. A quote slower than `timeoutMs` counts as a failure, and when
 * every carrier fails the quoter throws, so routing keeps its rate-card estimate and says so.
 */
export function carrierShippingQuoter(carriers: readonly Carrier[], options: { timeoutMs?: number } = {}): ShippingQuoter {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return {
    code: `carriers:${carriers.map((c) => c.account).join('+')}`,
    async quote(requests) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CarrierError('routing', `no quote within ${timeoutMs} ms`, true)), timeoutMs);
      });
      try {
        return await Promise.race([Promise.all(requests.map((r) => quoteOne(carriers, r))), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function quoteOne(carriers: readonly Carrier[], r: QuoteRequest): Promise<ShippingQuote[]> {
  const { rates, failures } = await collectRates(carriers, rateRequest(r));
  if (carriers.length > 0 && failures.length === carriers.length) {
    throw new CarrierError(failures.map((f) => f.account).join('+'), failures.map((f) => f.error).join('; '), true);
  }
  return rates
    .filter((rate) => rank(rate.serviceLevel) >= rank(r.serviceLevel))
    .map((rate) => ({
      amount: rate.amount,
      currency: rate.currency,
      transitDays: rate.transitDays,
      carrier: rate.carrier,
      service: rate.service,
      estimate: false,
    }));
}
