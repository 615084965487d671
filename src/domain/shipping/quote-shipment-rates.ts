import type { Db } from '../../db/db.js';
import { shipmentRateRequest } from './shipment-rate-request.js';
import { CarrierError, type Carrier, type Rate, type RateRequest } from './carrier.js';

export interface ShipmentQuote {
  request: RateRequest;
  rates: Rate[];
  /** Accounts that could not quote, with why; the others' rates still count. */
  failures: { account: string; reason: string }[];
}

/**
 * Every enabled carrier's quotes for a request, asked at once. A carrier that fails is reported,
 * not fatal, unless every carrier failed.
 */
export async function quoteRates(carriers: readonly Carrier[], request: RateRequest): Promise<Omit<ShipmentQuote, 'request'>> {
  if (carriers.length === 0) throw new CarrierError('carriers', 'no carrier is enabled (CARRIERS)', false);
  const settled = await Promise.allSettled(carriers.map((c) => c.rates(request)));
  const rates: Rate[] = [];
  const failures: { account: string; reason: string }[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') rates.push(...s.value);
    else failures.push({ account: carriers[i]!.account, reason: (s.reason as Error)?.message ?? String(s.reason) });
  });
  if (rates.length === 0 && failures.length > 0) {
    throw new CarrierError(failures.map((f) => f.account).join(','), `no carrier quoted: ${failures.map((f) => f.reason).join('; ')}`, true);
  }
  return { rates: rates.sort((a, b) => a.amount - b.amount), failures };
}

/** Quotes for one shipment as it stands (see shipmentRateRequest). */
export async function quoteShipmentRates(
  db: Db,
  carriers: readonly Carrier[],
  shipmentId: number,
): Promise<ShipmentQuote> {
  const request = await shipmentRateRequest(db, shipmentId);
  return { request, ...(await quoteRates(carriers, request)) };
}
