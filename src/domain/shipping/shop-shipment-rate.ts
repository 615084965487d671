import { CarrierError, type Carrier, type Rate, type RateRequest, type ServiceLevel } from './carrier.js';
import { shopRates, type RateShoppingResult } from './rate-shopping.js';

export interface ShipmentRateChoice {
  /** What fulfilling buys: the cheapest rate keeping the promise, else the fastest at the level (late beats never). */
  rate: Rate | null;
  shopping: RateShoppingResult;
}

/**
 * Rate shopping for one parcel of an order. Throws a CarrierError when every carrier failed, so
 * an outage is never mistaken for "no carrier serves this" (retryable when any failure was).
 */
export async function shopShipmentRate(
  carriers: readonly Carrier[],
  request: RateRequest,
  want: { serviceLevel: ServiceLevel; promisedBy: Date | null; shipDate: Date; timeZone?: string },
): Promise<ShipmentRateChoice> {
  if (carriers.length === 0) throw new CarrierError('carriers', 'no carrier is enabled (CARRIERS)', false);
  const shopping = await shopRates({ carriers, request, ...want });
  if (shopping.failures.length === carriers.length) {
    throw new CarrierError(
      shopping.failures.map((f) => f.account).join('+'),
      `no carrier quoted: ${shopping.failures.map((f) => f.error).join('; ')}`,
      shopping.failures.some((f) => f.retryable),
    );
  }
  return { rate: shopping.chosen ?? shopping.fastestLate, shopping };
}
