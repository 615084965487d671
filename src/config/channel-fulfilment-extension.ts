import { carrierTrackingUrl } from '../notifications/carrier-tracking-link.js';
import { notificationLinks } from '../notifications/notification-links.js';
import { pushChannelFulfilment } from '../domain/sales-channels/push-channel-fulfilment.js';
import type { StorefrontChannel } from '../domain/sales-channels/storefront-channel.js';
import type { AppExtension } from '../server/start-app.js';

export interface ChannelFulfilmentExtensionOptions {
  /** The storefront adapters; defaults to the composition root's. */
  channels?: readonly StorefrontChannel[];
}

/**
 * Tracking back to the storefront an order came from, as a part of `npm start`: each label bought
 * becomes one fulfilment there. The outbox retries a failing push with backoff and dead-letters it
 * after its last attempt; the shipment's channel_fulfilments row says pushed or failed.
 */
export function channelFulfilmentExtension(options: ChannelFulfilmentExtensionOptions = {}): AppExtension {
  return async (ctx) => {
    const channels = options.channels ?? ctx.storefronts.channels;
    const trackingUrl = (carrier: string | null, trackingNumber: string, orderId: string) =>
      carrierTrackingUrl(carrier, trackingNumber, notificationLinks(ctx.publicUrl(), ctx.signingSecret).trackingPage(orderId));
    ctx.onOutbox(
      'shipment.label_purchased',
      async (event) => {
        await pushChannelFulfilment(ctx.db, channels, Number(event.payload.shipmentId), { trackingUrl });
      },
      'channel-fulfilment-push',
    );
    ctx.log(`fulfilment push: ${channels.length ? `to ${channels.map((c) => c.channel).join(', ')}` : 'no storefronts configured'}`);
  };
}
