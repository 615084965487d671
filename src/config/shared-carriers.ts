import type { Carrier } from '../domain/shipping/carrier.js';
import type { Config } from './config.js';
import { openCarriers } from './open-carriers.js';
import { sharedCircuitBreakers } from './shared-circuit-breakers.js';

const byConfig = new WeakMap<Config, readonly Carrier[]>();

/**
 * The carrier adapters of one configuration, opened once and shared by everything that runs
 * under it (routes, jobs, agent tools, approvals decided from any channel), so one process never
 * holds two sandbox stores or two HTTP clients for one account.
 */
export function sharedCarriers(config: Config): readonly Carrier[] {
  let carriers = byConfig.get(config);
  if (!carriers) {
    carriers = openCarriers(config, { breakers: sharedCircuitBreakers(config) });
    byConfig.set(config, carriers);
  }
  return carriers;
}

/** Makes `carriers` the adapters of this configuration (a test's local server, startApp's option). */
export function provideCarriers(config: Config, carriers: readonly Carrier[]): readonly Carrier[] {
  byConfig.set(config, carriers);
  return carriers;
}
