import { createCircuitBreakers, type CircuitBreakers } from '../connectors/circuit-breakers.js';
import type { Config } from './config.js';
import { defaultLogger, logLine } from './logger.js';

const byConfig = new WeakMap<Config, CircuitBreakers>();

/** The breaker settings of a configuration, with where their state-change lines go. */
export function openCircuitBreakers(config: Pick<Config, 'CIRCUIT_FAILURE_THRESHOLD' | 'CIRCUIT_OPEN_MS' | 'CIRCUIT_MAX_OPEN_MS'>, log: (line: string) => void): CircuitBreakers {
  return createCircuitBreakers({
    failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD,
    openMs: config.CIRCUIT_OPEN_MS,
    maxOpenMs: config.CIRCUIT_MAX_OPEN_MS,
    log,
  });
}

/**
 * The circuit breakers of one configuration: the composition root provides them (with the
 * process's log); adapters opened elsewhere under the same configuration (carriers for a CLI
 * command, say) share them, so one process has one breaker per outside service.
 */
export function sharedCircuitBreakers(config: Config): CircuitBreakers {
  let breakers = byConfig.get(config);
  if (!breakers) {
    breakers = openCircuitBreakers(config, logLine(defaultLogger().child({ component: 'circuits' }), 'warn'));
    byConfig.set(config, breakers);
  }
  return breakers;
}

/** Makes `breakers` the ones of this configuration (composeServices, with the process's log). */
export function provideCircuitBreakers(config: Config, breakers: CircuitBreakers): CircuitBreakers {
  byConfig.set(config, breakers);
  return breakers;
}
