import { addBusinessDays } from './add-business-days.js';
import { CarrierError, SERVICE_LEVELS, type Carrier, type Rate, type RateRequest, type ServiceLevel } from './carrier.js';

const levelRank = (level: ServiceLevel) => SERVICE_LEVELS.indexOf(level);

export interface CarrierFailure {
  account: string;
  error: string;
  /** True when asking again later may work (timeout, 5xx). */
  retryable: boolean;
}

export interface CollectedRates {
  rates: Rate[];
  failures: CarrierFailure[];
}

/** Quotes from every carrier at once; a carrier that fails is reported, never fatal to the others. */
export async function collectRates(carriers: readonly Carrier[], request: RateRequest): Promise<CollectedRates> {
  const settled = await Promise.allSettled(carriers.map((c) => c.rates(request)));
  const rates: Rate[] = [];
  const failures: CarrierFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') rates.push(...s.value);
    else {
      const err = s.reason as Error;
      failures.push({ account: carriers[i]!.account, error: err.message, retryable: err instanceof CarrierError ? err.retryable : false });
    }
  });
  return { rates, failures };
}

export interface RateShoppingInput {
  carriers: readonly Carrier[];
  request: RateRequest;
  /** The order's service level: a rate must be at it or faster. */
  serviceLevel: ServiceLevel;
  /** The delivery promised to the buyer; null when none was made. */
  promisedBy: Date | null;
  /** When the parcel leaves; transit days count from here. Default: now. */
  shipDate?: Date;
  /** The shipping location's IANA time zone, whose weekdays the transit days count. Default: UTC. */
  timeZone?: string;
}

export interface ConsideredRate {
  rate: Rate;
  /** When it would arrive (ship date plus the carrier's business days), null without an estimate. */
  arrivesBy: Date | null;
  verdict: 'chosen' | 'eligible' | 'rejected';
  reason: string;
}

export interface RateShoppingResult {
  /** The cheapest rate at the service level that arrives by the promise; null when none does. */
  chosen: Rate | null;
  /**
   * When nothing keeps the promise: the rate at the service level that arrives soonest (the
   * cheapest of those), for a caller that would rather ship late than not at all. Null otherwise.
   */
  fastestLate: Rate | null;
  considered: ConsideredRate[];
  failures: CarrierFailure[];
  /** One paragraph a person can read: what was asked, what won and why, what was turned down. */
  explanation: string;
}

const money = (r: Rate) => `${r.amount.toFixed(2)} ${r.currency}`;
const label = (r: Rate) => `${r.account === r.carrier ? r.account : `${r.account}/${r.carrier}`} ${r.service}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Picks the rate for a shipment: every enabled carrier is asked at once, then the cheapest rate
 * that meets the order's service level and arrives by the promised date (business days from the
 * ship date) wins. Ties go to the faster service. Every rate is listed with why it won or lost,
 * and every carrier that failed with its error.
 */
export async function shopRates(input: RateShoppingInput): Promise<RateShoppingResult> {
  const { rates, failures } = await collectRates(input.carriers, input.request);
  const shipDate = input.shipDate ?? new Date();
  const promised = input.promisedBy;
  const sorted = [...rates].sort((a, b) => a.amount - b.amount || levelRank(b.serviceLevel) - levelRank(a.serviceLevel));

  const considered: ConsideredRate[] = sorted.map((rate) => {
    const arrivesBy = rate.transitDays === null ? null : addBusinessDays(shipDate, rate.transitDays, input.timeZone);
    if (levelRank(rate.serviceLevel) < levelRank(input.serviceLevel)) {
      return { rate, arrivesBy, verdict: 'rejected', reason: `${rate.serviceLevel} is slower than the order's ${input.serviceLevel}` };
    }
    if (promised && arrivesBy === null) {
      return { rate, arrivesBy, verdict: 'rejected', reason: `no transit estimate, so it cannot be held to the promise of ${day(promised)}` };
    }
    if (promised && arrivesBy && arrivesBy > promised) {
      return { rate, arrivesBy, verdict: 'rejected', reason: `arrives ${day(arrivesBy)}, after the promise of ${day(promised)}` };
    }
    return { rate, arrivesBy, verdict: 'eligible', reason: promised ? `arrives ${day(arrivesBy!)}, by the promise` : `meets ${input.serviceLevel}` };
  });

  const winner = considered.find((c) => c.verdict === 'eligible');
  if (winner) {
    winner.verdict = 'chosen';
    winner.reason = `cheapest that ${winner.reason.startsWith('arrives') ? `meets ${input.serviceLevel} and ${winner.reason}` : winner.reason}`;
    for (const c of considered) if (c.verdict === 'eligible') c.reason = `${c.reason}, but costs ${money(c.rate)} against ${money(winner.rate)}`;
  }

  let fastestLate: Rate | null = null;
  if (!winner) {
    const late = considered
      .filter((c) => levelRank(c.rate.serviceLevel) >= levelRank(input.serviceLevel) && c.arrivesBy)
      .sort((a, b) => a.arrivesBy!.getTime() - b.arrivesBy!.getTime() || a.rate.amount - b.rate.amount);
    fastestLate = late[0]?.rate ?? null;
  }

  const asked = `${input.serviceLevel}${promised ? ` by ${day(promised)}` : ''}, shipping ${day(shipDate)}`;
  const rejected = considered.filter((c) => c.verdict === 'rejected');
  const parts = [
    winner
      ? `Chose ${label(winner.rate)} at ${money(winner.rate)}: ${winner.reason} (asked: ${asked}).`
      : `No rate meets ${asked}${rates.length === 0 ? ': no carrier quoted' : ''}.`,
    !winner && fastestLate ? `Fastest at the level: ${label(fastestLate)} at ${money(fastestLate)}, arriving late.` : '',
    `Considered ${considered.length} rate(s) from ${input.carriers.length - failures.length} carrier(s).`,
    rejected.length ? `Rejected: ${rejected.map((c) => `${label(c.rate)} (${c.reason})`).join('; ')}.` : '',
    failures.length ? `Failed: ${failures.map((f) => `${f.account} (${f.error})`).join('; ')}.` : '',
  ];
  return { chosen: winner?.rate ?? null, fastestLate, considered, failures, explanation: parts.filter(Boolean).join(' ') };
}

/**
 * The cheapest rate at or above a service level for one shipment, for a router pricing candidate
 * locations; null when no carrier offers the level. Throws only when every carrier failed, so the
 * caller can fall back to an estimate instead of mistaking an outage for "no service".
 */
export async function quoteCheapest(carriers: readonly Carrier[], request: RateRequest, level: ServiceLevel): Promise<Rate | null> {
  const { rates, failures } = await collectRates(carriers, request);
  if (carriers.length > 0 && failures.length === carriers.length) {
    throw new CarrierError(failures.map((f) => f.account).join('+'), failures.map((f) => f.error).join('; '), failures.some((f) => f.retryable));
  }
  const meeting = rates
    .filter((r) => levelRank(r.serviceLevel) >= levelRank(level))
    .sort((a, b) => a.amount - b.amount || levelRank(b.serviceLevel) - levelRank(a.serviceLevel));
  return meeting[0] ?? null;
}
