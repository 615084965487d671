import { CarrierError, type Carrier } from '../../domain/shipping/carrier.js';
import { CircuitOpenError, type CircuitBreaker } from '../circuit-breaker.js';

/** A carrier not called because its circuit is open: retryable, as an outage is. */
export class CarrierCircuitOpenError extends CarrierError {
  constructor(account: string, readonly open: CircuitOpenError) {
    super(account, open.message, true);
    this.name = 'CarrierCircuitOpenError';
  }
}

const isOutage = (err: unknown) => err instanceof CarrierError && err.retryable;

/**
 * The carrier's outgoing calls behind `breaker`; webhooks come in and pass untouched. A refusal
 * (a 4xx: the carrier is up) does not count towards opening it, a timeout, 429 or 5xx does.
 */
export function guardCarrier(carrier: Carrier, breaker: CircuitBreaker): Carrier {
  const guarded = <T>(work: () => Promise<T>) =>
    breaker.run(work, isOutage).catch((err: unknown) => {
      throw err instanceof CircuitOpenError ? new CarrierCircuitOpenError(carrier.account, err) : err;
    });
  return {
    account: carrier.account,
    rates: (request) => guarded(() => carrier.rates(request)),
    buyLabel: (request) => guarded(() => carrier.buyLabel(request)),
    voidLabel: (label) => guarded(() => carrier.voidLabel(label)),
    track: (trackingNumber, name) => guarded(() => carrier.track(trackingNumber, name)),
    parseWebhook: (request) => carrier.parseWebhook(request),
  };
}
