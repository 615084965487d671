import { anomalyExtension } from '../anomaly/anomaly-extension.js';
import { emailExtension } from '../channels/email/email-extension.js';
import { slackExtension } from '../channels/slack/slack-extension.js';
import { routingExtension } from './routing-extension.js';
import { sharedCarriers } from '../config/shared-carriers.js';
import { shippingExtension, trackingUpdatesHandler } from '../config/shipping-extension.js';
import { carrierWebhookExtension } from './carrier-webhook-extension.js';
import { publicPagesExtension } from './public-pages-extension.js';
import { channelFulfilmentExtension } from '../config/channel-fulfilment-extension.js';
import { stockSyncExtension } from '../config/stock-sync-extension.js';
import { shopifyExtension } from '../connectors/storefronts/shopify/shopify-extension.js';
import { wooCommerceExtension } from '../connectors/storefronts/woocommerce/woocommerce-extension.js';
import { twilioExtension } from '../connectors/sms/twilio/twilio-extension.js';
import { notificationsExtension, type NotificationsExtensionOptions } from '../config/notifications-extension.js';
import { consoleExtension } from '../console/console-extension.js';
import type { AppExtension } from './start-app.js';

export interface AppExtensionsOptions {
  /** The notification engine's clock and timers (a test walks waits and quiet hours itself). */
  notifications?: NotificationsExtensionOptions;
}

/**
 * The parts `npm start` and `orderops serve` run beside the core API. Add a part by appending
 * its extension here (it registers its routes and job handlers; see AppExtension).
 */
export const appExtensions = (options: AppExtensionsOptions = {}): AppExtension[] => [
  slackExtension,
  emailExtension,
  anomalyExtension,
  routingExtension,
  stockSyncExtension,
  // Shipping after anomaly: an order is scored (and maybe held) before it may be fulfilled.
  shippingExtension,
  carrierWebhookExtension({
    carriers: (ctx) => sharedCarriers(ctx.config),
    onUpdates: (ctx) => trackingUpdatesHandler(ctx.db),
  }),
  channelFulfilmentExtension(),
  shopifyExtension(),
  wooCommerceExtension(),
  twilioExtension,
  publicPagesExtension,
  notificationsExtension(options.notifications),
  consoleExtension(),
];

export const APP_EXTENSIONS: AppExtension[] = appExtensions();
