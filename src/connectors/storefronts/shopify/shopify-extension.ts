import { routingSettingsFromConfig } from '../../../config/routing-settings-from-config.js';
import { systemActor } from '../../../domain/actor.js';
import type { StorefrontChannel } from '../../../domain/sales-channels/storefront-channel.js';
import { reconcileChannelOrders } from '../../../domain/sales-channels/reconcile-channel-orders.js';
import { QUEUES } from '../../../jobs/queue-names.js';
import { registerRoutes } from '../../../server/route-plugin.js';
import type { AppExtension } from '../../../server/start-app.js';
import { scheduleDeliveryRedrive } from '../schedule-delivery-redrive.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';
import { processShopifyDelivery } from './process-shopify-delivery.js';
import { shopifyReconciliationRoutes } from './shopify-reconciliation-routes.js';
import { shopifyWebhookRoutes } from './shopify-webhook-routes.js';

export interface ShopifyExtensionOptions {
  /** The channel to reconcile against instead of the configured one (tests with a local server). */
  channel?: StorefrontChannel | null;
}

/**
 * Shopify as a part of `npm start`: the webhook door (always registered; it refuses everything
 * without SHOPIFY_WEBHOOK_SECRET), the job that works on stored deliveries, and, with the shop and
 * token set, reconciliation every SHOPIFY_RECONCILE_MINUTES looking back twice that far. Nothing
 * here calls Shopify at start-up.
 */
export function shopifyExtension(options: ShopifyExtensionOptions = {}): AppExtension {
  return async (ctx) => {
    const { db, config, queue } = ctx;
    const actor = systemActor('shopify');
    const orderOptions = { routing: routingSettingsFromConfig(config) };
    const channel = options.channel !== undefined ? options.channel : ctx.storefronts.shopify;
    const everyMinutes = config.SHOPIFY_RECONCILE_MINUTES;

    queue.register<{ deliveryId: string }>(QUEUES.shopifyWebhook, async ({ deliveryId }) => {
      await processShopifyDelivery({ db, actor, orderOptions, log: ctx.log }, deliveryId);
    });
    registerRoutes(
      ctx.app,
      shopifyWebhookRoutes({
        db,
        secret: config.SHOPIFY_WEBHOOK_SECRET,
        // Redeliveries are deduplicated by the stored delivery; a job id per delivery keeps one queued run.
        enqueue: (deliveryId) => queue.enqueue(QUEUES.shopifyWebhook, { deliveryId }, { jobId: `shopify-delivery-${deliveryId}`, attempts: 5 }),
        log: ctx.log,
      }),
    );
    const reconciling = Boolean(channel) && everyMinutes > 0;
    registerRoutes(ctx.app, shopifyReconciliationRoutes({ enabled: reconciling, everyMinutes }));

    // A delivery whose job ran out of tries (a refund that came before its order, a database outage)
    // stays stored with its error; it is queued again each period until it has had REDRIVE_MAX_ATTEMPTS tries.
    const stopRedrive = scheduleDeliveryRedrive({
      db,
      channel: SHOPIFY_CHANNEL,
      periodMs: Math.max(everyMinutes, 1) * 60_000,
      enqueue: (id, slot) => queue.enqueue(QUEUES.shopifyWebhook, { deliveryId: id }, { jobId: `shopify-delivery-${id}-redrive-${slot}`, attempts: 1 }),
      log: ctx.log,
    });

    let timer: NodeJS.Timeout | undefined;
    if (channel && reconciling) {
      const periodMs = everyMinutes * 60_000;
      queue.register<{ since: string }>(QUEUES.shopifyReconcile, async ({ since }) => {
        const run = await reconcileChannelOrders(db, channel, new Date(since), actor, orderOptions);
        if (run.caught > 0) ctx.log(`shopify reconciliation caught ${run.caught} order(s) the webhooks missed: ${run.caughtIds.join(', ')}`);
      }, { concurrency: 1 });
      const schedule = () => {
        // One run per slot: a slow run and the next tick collapse into one; each looks back two periods so none is skipped.
        const slot = Math.floor(Date.now() / periodMs);
        const since = new Date(slot * periodMs - 2 * periodMs).toISOString();
        queue.enqueue(QUEUES.shopifyReconcile, { since }, { jobId: `shopify-reconcile-${slot}`, attempts: 2 }).catch((err: unknown) => {
          ctx.log(`shopify reconciliation not scheduled: ${(err as Error).message}`);
        });
      };
      // A first run at start-up, queued and not awaited: orders placed while the service was down are caught at once.
      schedule();
      timer = setInterval(schedule, periodMs);
      timer.unref();
    }
    ctx.log(
      `Shopify: webhooks at POST /webhooks/shopify ${config.SHOPIFY_WEBHOOK_SECRET ? 'on' : 'refusing all (no SHOPIFY_WEBHOOK_SECRET)'}; ` +
        `outbound ${channel ? `on (API ${config.SHOPIFY_API_VERSION})` : 'off (set SHOPIFY_SHOP_DOMAIN and SHOPIFY_ACCESS_TOKEN)'}; ` +
        `reconciliation ${reconciling ? `every ${everyMinutes} min` : 'off'}`,
    );
    return async () => {
      stopRedrive();
      if (timer) clearInterval(timer);
    };
  };
}
