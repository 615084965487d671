import { estimatedShippingQuoter } from '../domain/routing/estimated-shipping-quoter.js';
import type { RoutingSettings } from '../domain/routing/routing-settings.js';
import type { ShippingQuoter } from '../domain/routing/shipping-quoter.js';
import { carrierShippingQuoter } from '../domain/shipping/carrier-shipping-quoter.js';
import type { Config } from './config.js';
import { sharedCarriers } from './shared-carriers.js';

const quoters = new WeakMap<Config, ShippingQuoter>();

/**
 * Routing as configured: quotes from the enabled carriers (ROUTING_QUOTES=carriers, the default)
 * or the rate card alone (estimate). Everything that routes takes its settings from this.
 */
export function routingSettingsFromConfig(config: Config, quoter?: ShippingQuoter): RoutingSettings {
  return {
    defaultStrategy: config.ROUTING_DEFAULT_STRATEGY,
    maxSplits: config.ROUTING_MAX_SPLITS,
    quoter: quoter ?? configuredQuoter(config),
    now: () => new Date(),
  };
}

function configuredQuoter(config: Config): ShippingQuoter {
  if (config.ROUTING_QUOTES === 'estimate') return estimatedShippingQuoter;
  let q = quoters.get(config);
  if (!q) {
    q = carrierShippingQuoter(sharedCarriers(config), { timeoutMs: config.ROUTING_QUOTE_TIMEOUT_MS });
    quoters.set(config, q);
  }
  return q;
}
