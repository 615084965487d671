import { z } from 'zod';
import { getChannelSyncStatus as read } from '../domain/sales-channels/get-channel-sync-status.js';
import { defineTool } from './tool.js';

export const getChannelSyncStatus = defineTool({
  name: 'get_channel_sync_status',
  description:
    'Returns how one SKU\'s stock stands on each sales channel that sells it (Shopify, WooCommerce ...): the quantity every channel should show now (available at active locations minus safety stock), and per channel the quantity last pushed and when, what the channel said it holds, whether a change is still waiting to be pushed, failed attempts with the last error, since when the channel disagrees with us, and in_sync. Use it when a customer or a channel shows stock other than ours.',
  tier: 'read',
  input: z.object({ sku: z.string().min(1).describe('The variant SKU.') }),
  async run(args, ctx) {
    return read(ctx.db, args.sku);
  },
});
