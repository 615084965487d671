import { localDateParts } from '../domain/local-date-parts.js';
import type { NotificationEngineDeps } from './notification-engine-deps.js';
import type { TriggerEvent } from './notification-triggers.js';
import { instantAtWallClock } from './quiet-hours.js';

/** Most shipments one check reports; the next check takes the rest. */
const BATCH = 500;

/** The end of the day `at` falls on in `timeZone` (midnight after it). */
function endOfLocalDay(at: Date, timeZone: string): Date {
  const p = localDateParts(at, timeZone);
  return instantAtWallClock(Date.UTC(p.year, p.month - 1, p.day + 1), timeZone);
}

/**
 * Parcels still on their way after the day their order was promised for (in the store's time
 * zone) has ended, as `shipment.delayed` events of kind promise_passed for the caller to
 * schedule. A shipment whose delay workflows have already started, on a passed promise or on the
 * carrier's own delay report, is left out: the customer already knows it is late (a later date
 * from the carrier is still news, through the tracking triggers). Only promises of the last 14 days
 * count: an imported history of open parcels is not news to anyone. Scheduling dedupes the rest.
 */
export async function checkPassedPromises(deps: NotificationEngineDeps): Promise<TriggerEvent[]> {
  const now = deps.clock.now();
  const { rows } = await deps.db.query<{ shipment_id: string | number; order_id: string; customer_id: string; promised: Date | string }>(
    `SELECT s.id AS shipment_id, o.id AS order_id, o.customer_id, o.promised_delivery_at AS promised
       FROM shipments s JOIN orders o ON o.id = s.order_id
      WHERE o.promised_delivery_at < $1 AND o.promised_delivery_at > $1::timestamptz - interval '14 days' AND s.delivered_at IS NULL
        AND s.status NOT IN ('delivered', 'returned', 'voided') AND o.status NOT IN ('cancelled', 'delivered')
        AND NOT EXISTS (SELECT 1 FROM notification_runs r
                         WHERE r.workflow_id IN (SELECT id FROM notification_workflows WHERE definition->>'trigger' = 'shipment.delayed')
                           AND r.customer_id = o.customer_id AND r.dedupe_key LIKE 'shipment:' || s.id || ':delayed:%')
      ORDER BY o.promised_delivery_at, s.id LIMIT ${BATCH}`,
    [now.toISOString()],
  );
  return rows
    .filter((r) => endOfLocalDay(new Date(r.promised), deps.store.timezone).getTime() <= now.getTime())
    .map((r) => {
      const shipmentId = Number(r.shipment_id);
      return {
        trigger: 'shipment.delayed' as const,
        orderId: r.order_id,
        shipmentId,
        customerId: r.customer_id,
        dedupeKey: `shipment:${shipmentId}:delayed:promise_passed`,
        data: { kind: 'promise_passed', detail: null, promised_delivery_at: new Date(r.promised).toISOString() },
      };
    });
}
