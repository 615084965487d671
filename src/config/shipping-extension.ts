import { listFlags } from '../anomaly/flags/list-flags.js';
import { raiseFlag } from '../anomaly/flags/raise-flag.js';
import type { Actor } from '../domain/actor.js';
import { isDomainError } from '../domain/domain-error.js';
import { toCents } from '../domain/money.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { applyTrackingUpdates } from '../domain/shipping/apply-tracking-updates.js';
import { CarrierError, type TrackingUpdate } from '../domain/shipping/carrier.js';
import { fulfilOrder } from '../domain/shipping/fulfil-order.js';
import { FULFILLABLE_STATUSES } from '../domain/shipping/fulfilment-refusal.js';
import { pollTracking } from '../domain/shipping/poll-tracking.js';
import type { Db } from '../db/db.js';
import { handOffJob } from '../jobs/hand-off-job.js';
import { QUEUES } from '../jobs/queue-names.js';
import { registerRoutes } from '../server/route-plugin.js';
import type { TrackingUpdatesHandler } from '../server/routes/carrier-webhook-routes.js';
import { shippingRoutes } from '../server/routes/shipping-routes.js';
import type { AppExtension } from '../server/start-app.js';
import { sharedCarriers } from './shared-carriers.js';

const POLL_EVERY_MS = 15 * 60_000;
const fulfiller: Actor = { kind: 'job', id: 'auto-fulfil' };
const tracker: Actor = { kind: 'job', id: 'tracking-poll' };

interface FulfilJob {
  orderId: string;
  trigger: 'created' | 'released' | 'backorder_filled';
}

/** What a verified carrier webhook hands over: its updates, applied as the carrier's own actor. */
export function trackingUpdatesHandler(db: Db): TrackingUpdatesHandler {
  return (account: string, updates: readonly TrackingUpdate[]) =>
    applyTrackingUpdates(db, account, updates, { kind: 'webhook', id: `carrier:${account}` });
}

/**
 * Fulfilment as a part of `npm start`: the fulfil and label routes, automatic fulfilment of paid
 * orders when AUTO_FULFIL is on (after anomaly scoring, so a held order or one with an open risk
 * flag is left for a person; a released order is fulfilled, and so is one whose backordered stock
 * has just been reserved), and a poll of carriers for shipments without news for TRACKING_POLL_HOURS.
 */
export const shippingExtension: AppExtension = async (ctx) => {
  const { config, db, queue } = ctx;
  const carriers = sharedCarriers(config);
  registerRoutes(ctx.app, shippingRoutes(carriers));

  if (config.AUTO_FULFIL) {
    const triggers = { 'order.created': 'created', 'order.released': 'released', 'order.backorder_filled': 'backorder_filled' } as const;
    for (const [topic, trigger] of Object.entries(triggers)) {
      ctx.onOutbox(topic, async (event) => {
        const orderId = String(event.payload.orderId);
        await handOffJob<FulfilJob>(queue, QUEUES.fulfilOrder, { orderId, trigger }, { jobId: `fulfil-${event.id}` });
      }, 'shipping.fulfil');
    }
  }
  queue.register<FulfilJob>(QUEUES.fulfilOrder, async ({ orderId, trigger }) => {
    const order = await loadOrder(db, orderId);
    if (!order || !FULFILLABLE_STATUSES.includes(order.status)) return;
    // Only a person's release overrides an open risk flag; stock arriving does not.
    if (trigger !== 'released') {
      const risk = await listFlags(db, { subjectType: 'order', subjectId: orderId, category: 'risk' });
      if (risk.length) {
        ctx.log(`auto-fulfil: order ${orderId} left for review (${risk.map((f) => f.rule).join(', ')})`);
        return;
      }
    }
    try {
      // Nobody looks at an automatic purchase: a dearer one is left to a person (buy_label, behind approval).
      const maxTotal = { cents: toCents(config.LABEL_APPROVAL_AMOUNT), what: 'LABEL_APPROVAL_AMOUNT limit' };
      const r = await fulfilOrder(db, carriers, orderId, fulfiller, { maxTotal });
      ctx.log(`auto-fulfil: order ${orderId}: ${r.labelsBought} label(s) bought, ${r.status}`);
    } catch (err) {
      if (isDomainError(err) && err.code === 'price_above_approved') {
        await raiseFlag(
          db,
          {
            subjectType: 'order',
            subjectId: orderId,
            rule: 'label_over_auto_limit',
            category: 'operations',
            severity: 'warning',
            score: 50,
            title: `order ${orderId} not fulfilled automatically: ${err.message}`,
            reasons: [err.message, 'buy its labels with buy_label (approval) or POST /api/orders/:id/fulfil'],
          },
          fulfiller,
        );
        ctx.log(`auto-fulfil: order ${orderId} left for a person: ${err.message}`);
        return;
      }
      // A refusal will not change on retry; a carrier outage may.
      if (isDomainError(err) || (err instanceof CarrierError && !err.retryable)) {
        ctx.log(`auto-fulfil: order ${orderId} not fulfilled: ${(err as Error).message}`);
        return;
      }
      throw err;
    }
  }, { concurrency: 2 });

  queue.register(QUEUES.trackingPoll, async () => {
    const r = await pollTracking(db, carriers, tracker, { staleHours: config.TRACKING_POLL_HOURS });
    for (const f of r.failures) ctx.log(`tracking poll: shipment ${f.shipmentId}: ${f.reason}`);
  }, { concurrency: 1 });
  const poll = setInterval(() => {
    // One poll per slot: the job id makes a slow poll and the next tick collapse into one run.
    const slot = Math.floor(Date.now() / POLL_EVERY_MS);
    queue.enqueue(QUEUES.trackingPoll, {}, { jobId: `tracking-poll-${slot}`, attempts: 1 }).catch((err: unknown) => {
      ctx.log(`tracking poll not scheduled: ${(err as Error).message}`);
    });
  }, POLL_EVERY_MS);
  poll.unref();

  ctx.log(`fulfilment: auto-fulfil ${config.AUTO_FULFIL ? 'on' : 'off (AUTO_FULFIL)'}; tracking polled after ${config.TRACKING_POLL_HOURS} h without news`);
  return async () => clearInterval(poll);
};
