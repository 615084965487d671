import { WooCommerceChannel } from '../connectors/storefronts/woocommerce/woocommerce-channel.js';
import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import type { Config } from './config.js';
import { openShopify } from './open-shopify.js';
import { openWooCommerceClient } from './open-woocommerce.js';

/**
 * The storefronts this install sells on, each an adapter picked by its settings. Stock and
 * fulfilment pushes go to exactly these; a channel not listed gets nothing.
 */
export function openStorefronts(config: Config, log?: (line: string) => void): StorefrontChannel[] {
  const channels: StorefrontChannel[] = [];
  const shopify = openShopify(config, log);
  if (shopify) channels.push(shopify);
  const woo = openWooCommerceClient(config);
  if (woo) channels.push(new WooCommerceChannel(woo));
  return channels;
}
