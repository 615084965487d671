import { ShopifyAdminClient, shopifyAdminUrl } from '../connectors/storefronts/shopify/shopify-admin-client.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import type { Config } from './config.js';

/**
 * The Shopify channel for outbound calls (stock, fulfilments, reconciliation), or null when the
 * shop and its access token are not both configured. Builds a client only; nothing is called.
 */
export function openShopify(config: Config, log?: (line: string) => void, breakers?: CircuitBreakers): ShopifyAdminClient | null {
  if (!config.SHOPIFY_ACCESS_TOKEN || (!config.SHOPIFY_SHOP_DOMAIN && !config.SHOPIFY_API_URL)) return null;
  const url = config.SHOPIFY_API_URL ?? shopifyAdminUrl(config.SHOPIFY_SHOP_DOMAIN!, config.SHOPIFY_API_VERSION);
  const breaker = breakers?.for(`shopify:${config.SHOPIFY_SHOP_DOMAIN ?? new URL(url).host}`);
  return new ShopifyAdminClient({ url, accessToken: config.SHOPIFY_ACCESS_TOKEN, locationId: config.SHOPIFY_LOCATION_ID, ...(log ? { log } : {}), ...(breaker ? { breaker } : {}) });
}
