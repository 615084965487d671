import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import type { Config } from './config.js';
import { openShopify } from './open-shopify.js';

/**
 * The storefronts this install sells on, each an adapter picked by its settings. Stock pushes go
 * to exactly these; a channel not listed gets nothing.
 */
export function openStorefronts(config: Config, log?: (line: string) => void): StorefrontChannel[] {
  const channels: StorefrontChannel[] = [];
  const shopify = openShopify(config, log);
  if (shopify) channels.push(shopify);
  return channels;
}
