import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';

export type CircuitBreakerSettings = Omit<CircuitBreakerOptions, 'service'>;

/**
 * One breaker per outside service, made on first use and shared by every adapter of that
 * service in the process: what one caller learns about an outage spares the others the wait.
 * Built once, in the composition root.
 */
export interface CircuitBreakers {
  for(service: string): CircuitBreaker;
  /** Every breaker made so far and its state (the metrics gauge). */
  states(): { service: string; state: CircuitState }[];
}

export function createCircuitBreakers(settings: CircuitBreakerSettings = {}): CircuitBreakers {
  const breakers = new Map<string, CircuitBreaker>();
  return {
    for(service) {
      let breaker = breakers.get(service);
      if (!breaker) {
        breaker = new CircuitBreaker({ ...settings, service });
        breakers.set(service, breaker);
      }
      return breaker;
    },
    states: () => [...breakers.values()].map((b) => ({ service: b.service, state: b.state })),
  };
}
