import type { RoutingStrategyCode } from './routing-rule.js';
import type { ShippingQuoter } from './shipping-quoter.js';
import { estimatedShippingQuoter } from './estimated-shipping-quoter.js';

/** How routing behaves where no rule says otherwise; built from config in src/config/routing-settings-from-config.ts. */
export interface RoutingSettings {
  defaultStrategy: RoutingStrategyCode;
  /** Most shipments an order may split into unless a rule sets its own cap. */
  maxSplits: number;
  /** Prices candidates before the stock locks; the rate-card estimate when no carrier rate shopping is wired. */
  quoter: ShippingQuoter;
  /** The clock for promised dates. */
  now: () => Date;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = {
  defaultStrategy: 'fewest_shipments',
  maxSplits: 3,
  quoter: estimatedShippingQuoter,
  now: () => new Date(),
};
