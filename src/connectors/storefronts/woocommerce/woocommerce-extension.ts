import { WOOCOMMERCE_CHANNEL } from './map-woocommerce-order.js';
import { processWooCommerceDelivery } from './process-woocommerce-delivery.js';
import { WooCommerceChannel } from './woocommerce-channel.js';
import type { WooCommerceRestClient } from './woocommerce-rest-client.js';
import { wooCommerceDeliveryJobId, wooCommerceWebhookRoutes, type WooCommerceDeliveryJob } from './woocommerce-webhook-routes.js';
import type { Actor } from '../../../domain/actor.js';
import { reconcileChannelOrders } from '../../../domain/sales-channels/reconcile-channel-orders.js';
import { reconciliationSince } from '../../../domain/sales-channels/reconciliation-since.js';
import { QUEUES } from '../../../jobs/queue-names.js';
import { registerRoutes } from '../../../server/route-plugin.js';
import type { AppExtension } from '../../../server/start-app.js';
import { scheduleDeliveryRedrive } from '../schedule-delivery-redrive.js';

const actor: Actor = { kind: 'job', id: 'woocommerce' };
// Runs overlap by this much, so an order modified while a run pages is seen by the next one.
const RECONCILE_MARGIN_MS = 5 * 60_000;
// A first run looks back a day.
const RECONCILE_FALLBACK_MS = 24 * 3_600_000;

export interface WooCommerceExtensionOptions {
  /** The store's API client; defaults to the composition root's (WOOCOMMERCE_URL and the keys). */
  client?: WooCommerceRestClient | null;
}

/**
 * WooCommerce as a part of `npm start`: the webhook door (always mounted; without
 * WOOCOMMERCE_WEBHOOK_SECRET it refuses every signed delivery), the job that works on stored
 * deliveries, and, when the store's API is configured, reconciliation every
 * WOOCOMMERCE_RECONCILE_MINUTES. Nothing here waits on the store at start-up.
 */
export function wooCommerceExtension(options: WooCommerceExtensionOptions = {}): AppExtension {
  return async (ctx) => {
    const { db, queue, config } = ctx;
    const shared = ctx.storefronts.wooCommerce;
    const client = options.client === undefined ? shared?.client ?? null : options.client;
    registerRoutes(ctx.app, wooCommerceWebhookRoutes({ db, queue, secret: config.WOOCOMMERCE_WEBHOOK_SECRET, log: ctx.log }));
    queue.register<WooCommerceDeliveryJob>(QUEUES.woocommerceDelivery, async ({ deliveryId }) => {
      await processWooCommerceDelivery(deliveryId, { db, actor, client });
    }, { concurrency: 2 });
    // The embedded queue forgets at a restart and a job can run out of tries: the stored deliveries
    // not yet processed are queued again at start-up and each period.
    const stopRedrive = scheduleDeliveryRedrive({
      db,
      channel: WOOCOMMERCE_CHANNEL,
      periodMs: Math.max(config.WOOCOMMERCE_RECONCILE_MINUTES, 1) * 60_000,
      enqueue: (id, slot) => queue.enqueue<WooCommerceDeliveryJob>(QUEUES.woocommerceDelivery, { deliveryId: id }, { jobId: wooCommerceDeliveryJobId(id, `-redrive-${slot}`), attempts: 1 }),
      log: ctx.log,
    });

    let timer: NodeJS.Timeout | undefined;
    if (client) {
      const channel = options.client === undefined && shared ? shared.channel : new WooCommerceChannel(client);
      queue.register(QUEUES.woocommerceReconcile, async () => {
        const since = await reconciliationSince(db, WOOCOMMERCE_CHANNEL, new Date(), { marginMs: RECONCILE_MARGIN_MS, fallbackMs: RECONCILE_FALLBACK_MS });
        const run = await reconcileChannelOrders(db, channel, since, actor);
        if (run.caught > 0) ctx.log(`woocommerce reconciliation caught ${run.caught} order(s) the webhooks missed: ${run.caughtIds.join(', ')}`);
      }, { concurrency: 1 });
      const everyMs = config.WOOCOMMERCE_RECONCILE_MINUTES * 60_000;
      timer = setInterval(() => {
        // One run per slot: a slow run and the next tick collapse into one.
        const slot = Math.floor(Date.now() / everyMs);
        queue.enqueue(QUEUES.woocommerceReconcile, {}, { jobId: `woocommerce-reconcile-${slot}`, attempts: 1 }).catch((err: unknown) => {
          ctx.log(`woocommerce reconciliation not scheduled: ${(err as Error).message}`);
        });
      }, everyMs);
      timer.unref();
    }
    ctx.log(
      `woocommerce: webhooks at POST /webhooks/woocommerce ${config.WOOCOMMERCE_WEBHOOK_SECRET ? 'on' : 'refusing all (no WOOCOMMERCE_WEBHOOK_SECRET)'}; ` +
        (client ? `REST API ${config.WOOCOMMERCE_URL}, reconciliation every ${config.WOOCOMMERCE_RECONCILE_MINUTES} min` : 'no REST API (set WOOCOMMERCE_URL and the keys)'),
    );
    return async () => {
      stopRedrive();
      clearInterval(timer);
    };
  };
}
