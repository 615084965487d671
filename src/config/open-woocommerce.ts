import { WooCommerceRestClient } from '../connectors/storefronts/woocommerce/woocommerce-rest-client.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import type { Config } from './config.js';

/** The store's REST API client when WOOCOMMERCE_URL and both keys are set; null otherwise. */
export function openWooCommerceClient(config: Config, breakers?: CircuitBreakers): WooCommerceRestClient | null {
  if (!config.WOOCOMMERCE_URL || !config.WOOCOMMERCE_CONSUMER_KEY || !config.WOOCOMMERCE_CONSUMER_SECRET) return null;
  return new WooCommerceRestClient({
    url: config.WOOCOMMERCE_URL,
    consumerKey: config.WOOCOMMERCE_CONSUMER_KEY,
    consumerSecret: config.WOOCOMMERCE_CONSUMER_SECRET,
    ...(breakers ? { breaker: breakers.for(`woocommerce:${new URL(config.WOOCOMMERCE_URL).host}`) } : {}),
  });
}
