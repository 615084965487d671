import { resolve } from 'node:path';
import type { Db } from '../db/db.js';
import { systemActor } from '../domain/actor.js';
import { checkPassedPromises } from '../notifications/check-passed-promises.js';
import { systemClock, type Clock } from '../notifications/clock.js';
import { deliverNotificationMessage, SENDING_LEASE_MS, type DeliveryDeps } from '../notifications/deliver-notification-message.js';
import { handleNotificationEvent } from '../notifications/handle-notification-event.js';
import type { NotificationEngineDeps } from '../notifications/notification-engine-deps.js';
import { notificationLinks, type NotificationLinks } from '../notifications/notification-links.js';
import { NOTIFICATION_SOURCE_TOPICS } from '../notifications/notification-triggers.js';
import { MESSAGE_QUEUED_TOPIC } from '../notifications/queue-notification-message.js';
import { createNotificationRenderer } from '../notifications/render-notification.js';
import { runDueNotifications } from '../notifications/run-due-notifications.js';
import { scheduleNotifications } from '../notifications/schedule-notifications.js';
import { replaceFileWorkflows } from '../notifications/workflow-repository.js';
import { readWorkflowsFile, templatesDirOf } from '../notifications/workflows-file.js';
import { registerRoutes } from '../server/route-plugin.js';
import { notificationRoutes } from '../server/routes/notification-routes.js';
import type { AppExtension } from '../server/start-app.js';

export interface NotificationsExtensionOptions {
  /** The engine's clock; a test moves its own to walk through waits and quiet hours. */
  clock?: Clock;
  /** Milliseconds between walks of the runs whose wait is over; 0 walks none on a timer. */
  sweepEveryMs?: number;
  /** Milliseconds between checks for shipments past their promised date; 0 checks none on a timer. */
  promiseCheckEveryMs?: number;
  /** Called once wired, with the sweep a test (or a benchmark) may run itself. */
  onReady?: (engine: NotificationsHandle) => void;
}

export interface NotificationsHandle {
  /** Walks due runs, checks passed promises, and sends messages left queued; resolves when done. */
  sweep(): Promise<void>;
  engine: NotificationEngineDeps;
}

const SWEEP_EVERY_MS = 30_000;
const PROMISE_CHECK_EVERY_MS = 15 * 60_000;
/** A queued message no handler has taken for this long (a paused workflow resumed, a dead-lettered try) is sent by the sweep. */
const STRANDED_AFTER_MS = 60_000;

/** Links that ask the server its address each time: PUBLIC_URL, or the address it listens on once it does. */
function liveLinks(publicUrl: () => string, secret: string): NotificationLinks {
  return {
    trackingPage: (orderId) => notificationLinks(publicUrl(), secret).trackingPage(orderId),
    unsubscribe: (customerId, category) => notificationLinks(publicUrl(), secret).unsubscribe(customerId, category),
  };
}

async function strandedMessages(db: Db, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: string | number }>(
    `SELECT id FROM notification_messages
      WHERE (status = 'queued' AND updated_at < now() - make_interval(secs => $1))
         OR (status = 'sending' AND updated_at < now() - make_interval(secs => $2))
      ORDER BY id LIMIT $3`,
    [STRANDED_AFTER_MS / 1000, SENDING_LEASE_MS / 1000, limit],
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Customer notifications as a part of `npm start`: loads the workflows file into the database,
 * turns order, shipment and refund events into workflow runs, walks the runs whose wait is over,
 * and hands each rendered message to SMTP or SMS. The API routes are served wherever the API is.
 */
export function notificationsExtension(options: NotificationsExtensionOptions = {}): AppExtension {
  return async (ctx) => {
    const { config, db } = ctx;
    const file = resolve(config.NOTIFICATIONS_FILE);
    const renderer = createNotificationRenderer(templatesDirOf(file), { timezone: config.STORE_TIMEZONE });
    const workflowsFile = await readWorkflowsFile(file, (t) => renderer.has(t));
    if (ctx.runsWorkers) await replaceFileWorkflows(db, workflowsFile.workflows, systemActor('notifications'));
    const links = liveLinks(ctx.publicUrl, ctx.signingSecret);
    const engine: NotificationEngineDeps = {
      db,
      clock: options.clock ?? systemClock,
      renderer,
      links,
      store: {
        name: config.STORE_NAME,
        supportEmail: config.SUPPORT_EMAIL,
        get publicUrl() {
          return ctx.publicUrl();
        },
        timezone: workflowsFile.settings.timezone ?? config.STORE_TIMEZONE,
      },
      settings: workflowsFile.settings,
    };
    const delivery: DeliveryDeps = {
      db,
      mailer: ctx.mailer,
      sms: ctx.sms,
      fromAddress: config.SUPPORT_EMAIL,
      storeName: config.STORE_NAME,
      // Only Twilio reports delivery; it signs the URL it was given, which the webhook checks against the same public address.
      statusCallbackUrl: () => (ctx.sms.kind === 'twilio' ? `${ctx.publicUrl()}/webhooks/twilio/status` : undefined),
      links,
      quietHours: { settings: workflowsFile.settings, timezone: engine.store.timezone, clock: engine.clock },
    };

    if (ctx.servesApi) registerRoutes(ctx.app, notificationRoutes({ hasTemplate: (t) => renderer.has(t) }));

    const enabled = config.NOTIFICATIONS_ENABLED;
    ctx.log(
      `notifications: ${enabled ? `${workflowsFile.workflows.length} workflows from ${config.NOTIFICATIONS_FILE}; email by ${ctx.mailer.kind}, SMS by ${ctx.sms.kind}` : 'off (NOTIFICATIONS_ENABLED=false)'}`,
    );
    if (!enabled || !ctx.runsWorkers) return;
    if (ctx.role === 'worker' && !config.PUBLIC_URL) {
      // A worker never listens: without PUBLIC_URL its links would name an address no customer can reach.
      ctx.log('notifications: WARNING: PUBLIC_URL is not set, so tracking and unsubscribe links in messages point at this worker\'s own address; set PUBLIC_URL to the address customers reach the API at');
    }

    for (const topic of NOTIFICATION_SOURCE_TOPICS) {
      ctx.onOutbox(topic, async (event) => void (await handleNotificationEvent(engine, topic, event.payload)), `notifications.${topic}`);
    }
    ctx.onOutbox(MESSAGE_QUEUED_TOPIC, async (event) => void (await deliverNotificationMessage(delivery, Number(event.payload.messageId))), 'notifications.deliver');

    const drain = async () => {
      while ((await runDueNotifications(engine)) > 0);
      for (const id of await strandedMessages(db, 100)) {
        await deliverNotificationMessage(delivery, id).catch((err: unknown) => ctx.log(`notification ${id}: ${(err as Error).message}`));
      }
    };
    const checkPromises = async () => {
      for (const t of await checkPassedPromises(engine)) await scheduleNotifications(engine, t);
    };
    const sweep = async () => {
      await checkPromises();
      await drain();
    };
    ctx.every('notifications sweep', options.sweepEveryMs ?? SWEEP_EVERY_MS, drain);
    ctx.every('notifications promise check', options.promiseCheckEveryMs ?? PROMISE_CHECK_EVERY_MS, sweep);
    options.onReady?.({ sweep, engine });
  };
}

