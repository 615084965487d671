import { evaluateCondition } from './evaluate-condition.js';
import { loadNotificationContext } from './load-notification-context.js';
import type { NotificationEngineDeps } from './notification-engine-deps.js';
import { notificationMessageId } from './notification-message-id.js';
import { contextRefOf } from './notification-run.js';
import { isShipmentTrigger, type TriggerEvent } from './notification-triggers.js';
import { settleNotificationEmailRecord } from './settle-notification-email-record.js';
import { listWorkflows } from './workflow-repository.js';

/**
 * Plans what one happening sets off. First the stale: pending runs of this order (of this
 * shipment, for a shipment trigger) whose workflow lists the trigger in `cancel_on` are cancelled
 * (a "shipped" still waiting when "delivered" arrives never goes), and so are their messages not
 * yet sent. Then every enabled, unpaused
 * workflow on this trigger whose conditions hold gets a run, due now; the same happening
 * (workflow, customer, dedupe key) starts at most one run ever, however often it is reported.
 * Nothing is sent here: runDueNotifications walks the runs.
 */
export async function scheduleNotifications(deps: NotificationEngineDeps, event: TriggerEvent): Promise<{ started: number; cancelled: number }> {
  const { db } = deps;
  const now = deps.clock.now();
  const workflows = await listWorkflows(db);

  let cancelled = 0;
  const staleIds = workflows.filter((w) => w.workflow.cancel_on.includes(event.trigger)).map((w) => w.workflow.id);
  if (staleIds.length) {
    const shipmentId = isShipmentTrigger(event.trigger) ? event.shipmentId : null;
    const { rowCount } = await db.query(
      `UPDATE notification_runs SET status = 'cancelled', lease_until = NULL, outcome_detail = $5, updated_at = now()
        WHERE order_id = $1 AND status IN ('scheduled', 'running') AND workflow_id = ANY($2::text[]) AND dedupe_key <> $4
          AND ($3::bigint IS NULL OR shipment_id IS NULL OR shipment_id = $3)`,
      [event.orderId, staleIds, shipmentId, event.dedupeKey, `made stale by ${event.trigger} (${event.dedupeKey})`],
    );
    cancelled = rowCount;
    // A run whose last send is queued but not yet out (held by a pause, waiting out an SMTP retry)
    // is already done; its message is what would go stale, so it is stopped here too, and so is
    // the thread's record of a mail whose earlier try failed.
    const staleDetail = `stale: made stale by ${event.trigger} (${event.dedupeKey}) before it went out`;
    await db.transaction(async (tx) => {
      const { rows: stale } = await tx.query<{ channel: string; idempotency_key: string }>(
        `UPDATE notification_messages m SET status = 'suppressed', error = $5, updated_at = now()
           FROM notification_runs r
          WHERE m.run_id = r.id AND m.status = 'queued' AND r.order_id = $1 AND r.workflow_id = ANY($2::text[]) AND r.dedupe_key <> $4
            AND ($3::bigint IS NULL OR r.shipment_id IS NULL OR r.shipment_id = $3)
          RETURNING m.channel, m.idempotency_key`,
        [event.orderId, staleIds, shipmentId, event.dedupeKey, staleDetail],
      );
      const mails = stale.filter((m) => m.channel === 'email').map((m) => notificationMessageId(m.idempotency_key, deps.store.supportEmail));
      await settleNotificationEmailRecord(tx, mails, 'suppressed', staleDetail);
    });
  }

  const candidates = workflows.filter((w) => w.workflow.trigger === event.trigger && w.workflow.enabled && !w.paused);
  if (!candidates.length) return { started: 0, cancelled };
  const context = await loadNotificationContext(db, contextRefOf({ ...event, triggerData: event.data }), { store: deps.store, links: deps.links });
  if (!context) return { started: 0, cancelled };
  const ids = candidates.filter((w) => w.workflow.conditions.every((c) => evaluateCondition(c, context))).map((w) => w.workflow.id);
  if (!ids.length) return { started: 0, cancelled };
  const { rowCount } = await db.query(
    `INSERT INTO notification_runs (workflow_id, customer_id, order_id, shipment_id, trigger, dedupe_key, trigger_data, due_at)
     SELECT w, $2, $3, $4, $5, $6, $7, $8 FROM unnest($1::text[]) AS w
     ON CONFLICT (workflow_id, customer_id, dedupe_key) DO NOTHING`,
    [ids, event.customerId, event.orderId, event.shipmentId, event.trigger, event.dedupeKey, JSON.stringify(event.data), now.toISOString()],
  );
  return { started: rowCount, cancelled };
}
