import type { ShopifyAdminClient } from '../connectors/storefronts/shopify/shopify-admin-client.js';
import { WooCommerceChannel } from '../connectors/storefronts/woocommerce/woocommerce-channel.js';
import type { WooCommerceRestClient } from '../connectors/storefronts/woocommerce/woocommerce-rest-client.js';
import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import type { Config } from './config.js';
import { openShopify } from './open-shopify.js';
import { openWooCommerceClient } from './open-woocommerce.js';

export interface Storefronts {
  shopify: ShopifyAdminClient | null;
  wooCommerce: { client: WooCommerceRestClient; channel: WooCommerceChannel } | null;
  /** Every configured storefront; stock and fulfilment pushes go to exactly these. */
  channels: readonly StorefrontChannel[];
}

const byConfig = new WeakMap<Config, Storefronts>();

/**
 * The storefronts this install sells on, each an adapter picked by its settings, opened once per
 * configuration: Shopify's cost throttle is one bucket per shop, so the webhook jobs,
 * reconciliation and stock pushes of one process must share one client.
 */
export function sharedStorefronts(config: Config, log?: (line: string) => void, breakers?: CircuitBreakers): Storefronts {
  let storefronts = byConfig.get(config);
  if (!storefronts) {
    const shopify = openShopify(config, log, breakers);
    const client = openWooCommerceClient(config, breakers);
    const wooCommerce = client ? { client, channel: new WooCommerceChannel(client) } : null;
    storefronts = { shopify, wooCommerce, channels: [...(shopify ? [shopify] : []), ...(wooCommerce ? [wooCommerce.channel] : [])] };
    byConfig.set(config, storefronts);
  }
  return storefronts;
}
