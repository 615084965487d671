import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import type { Config } from './config.js';

/**
 * The storefronts this install sells on, each an adapter picked by its settings. Stock pushes,
 * fulfilment pushes and reconciliation go to exactly these; a channel not listed gets nothing.
 */
export function openStorefronts(_config: Config): StorefrontChannel[] {
  const channels: StorefrontChannel[] = [];
  return channels;
}
