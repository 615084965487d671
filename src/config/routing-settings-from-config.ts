import { estimatedShippingQuoter } from '../domain/routing/estimated-shipping-quoter.js';
import type { RoutingSettings } from '../domain/routing/routing-settings.js';
import type { ShippingQuoter } from '../domain/routing/shipping-quoter.js';
import type { Config } from './config.js';

/**
 * Routing as configured. The quoter is the rate-card estimate until carrier rate shopping is
 * wired here (pass it as `quoter`); everything that routes takes its settings from this.
 */
export function routingSettingsFromConfig(config: Config, quoter: ShippingQuoter = estimatedShippingQuoter): RoutingSettings {
  return {
    defaultStrategy: config.ROUTING_DEFAULT_STRATEGY,
    maxSplits: config.ROUTING_MAX_SPLITS,
    quoter,
    now: () => new Date(),
  };
}
