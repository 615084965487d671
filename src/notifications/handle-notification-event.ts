import type { NotificationEngineDeps } from './notification-engine-deps.js';
import { triggersFromOutbox } from './notification-triggers.js';
import { runDueNotifications } from './run-due-notifications.js';
import { scheduleNotifications } from './schedule-notifications.js';

/**
 * What the notifications extension does with one outbox event of NOTIFICATION_SOURCE_TOPICS:
 * every trigger it means is scheduled first (so a poll that brings "out for delivery" and
 * "delivered" at once cancels the first before it goes), then the runs now due are walked.
 */
export async function handleNotificationEvent(
  deps: NotificationEngineDeps,
  topic: string,
  payload: Record<string, unknown>,
): Promise<{ triggers: number; started: number; cancelled: number; ran: number }> {
  const triggers = await triggersFromOutbox(deps.db, topic, payload);
  let started = 0;
  let cancelled = 0;
  for (const t of triggers) {
    const r = await scheduleNotifications(deps, t);
    started += r.started;
    cancelled += r.cancelled;
  }
  const ran = started > 0 ? await runDueNotifications(deps) : 0;
  return { triggers: triggers.length, started, cancelled, ran };
}
