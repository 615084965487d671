import { CarrierError } from '../domain/shipping/carrier.js';
import { DomainError } from '../domain/domain-error.js';

/**
 * Runs a carrier-backed step so a carrier's failure reaches the model as a readable tool error
 * (and says whether trying later may help) instead of aborting the turn.
 */
export async function withCarrierFailure<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof CarrierError)) throw err;
    throw new DomainError('conflict', err.retryable ? 'carrier_unavailable' : 'carrier_refused', `${err.message}${err.retryable ? ' (try again later)' : ''}`);
  }
}
