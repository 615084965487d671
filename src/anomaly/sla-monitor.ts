import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import type { AlertSink } from './alert-sink.js';
import type { AnomalyFlag } from './flags/anomaly-flag.js';
import { clearFlags } from './flags/clear-flags.js';
import { raiseFlagWithAlert } from './flags/raise-flag-with-alert.js';
import { slaHours, type SlaPolicy } from './sla-policy.js';

export interface SlaScan {
  raised: AnomalyFlag[];
  cleared: number[];
}

const hoursBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3_600_000;

/**
 * The scheduled sweep for time-based trouble: orders past the SLA of their status (per channel),
 * shipments with a carrier exception, shipments past their promised date and not delivered, and
 * labels bought that the carrier has not scanned within LABEL_SCAN_HOURS.
 * Flags whose condition is gone (the order moved on, the parcel arrived) are resolved.
 */
export async function scanSla(
  db: Db,
  deps: {
    policy: SlaPolicy;
    actor: Actor;
    alerts?: AlertSink;
    now?: Date;
    log?: (l: string) => void;
    /** Hours a bought label may wait for its first carrier scan (LABEL_SCAN_HOURS); 24 when omitted. */
    labelScanHours?: number;
  },
): Promise<SlaScan> {
  const now = deps.now ?? new Date();
  const statuses = new Set([
    ...Object.keys(deps.policy.byStatus),
    ...Object.values(deps.policy.byChannel).flatMap((m) => Object.keys(m)),
  ]);
  const minHours = Math.min(
    ...Object.values(deps.policy.byStatus),
    ...Object.values(deps.policy.byChannel).flatMap((m) => Object.values(m)),
  );
  const raised: AnomalyFlag[] = [];
  const cleared: number[] = [];

  const late = new Set<string>();
  if (statuses.size) {
    const { rows } = await db.query<{ id: string; channel: string; status: string; status_changed_at: Date }>(
      `SELECT id, channel, status, status_changed_at FROM orders
        WHERE status = ANY($1::text[]) AND status_changed_at < $2 ORDER BY status_changed_at`,
      [[...statuses], new Date(now.getTime() - minHours * 3_600_000).toISOString()],
    );
    for (const o of rows) {
      const limit = slaHours(deps.policy, o.status, o.channel);
      const age = hoursBetween(new Date(o.status_changed_at), now);
      if (limit === undefined || age <= limit) continue;
      late.add(o.id);
      const { flag } = await raiseFlagWithAlert(
        db,
        {
          subjectType: 'order',
          subjectId: o.id,
          rule: 'order_sla',
          category: 'operations',
          severity: age > 2 * limit ? 'critical' : 'warning',
          score: Math.min(100, Math.round((50 * age) / limit)),
          title: `order ${o.id} ${o.status} for ${age.toFixed(1)} h (SLA ${limit} h)`,
          reasons: [`${o.status} since ${new Date(o.status_changed_at).toISOString()}, ${age.toFixed(1)} h; the ${o.channel} SLA for ${o.status} is ${limit} h`],
          evidence: { status: o.status, channel: o.channel, hours: age, slaHours: limit },
        },
        deps.actor,
        deps.alerts,
        deps.log,
      );
      raised.push(flag);
    }
  }
  const openSla = await db.query<{ subject_id: string }>(
    `SELECT DISTINCT subject_id FROM anomaly_flags WHERE rule = 'order_sla' AND status <> 'resolved'`,
  );
  for (const r of openSla.rows) {
    if (!late.has(r.subject_id)) cleared.push(...(await clearFlags(db, 'order', r.subject_id, ['order_sla'], deps.actor)));
  }

  const troubled = new Map<string, string[]>();
  const scanBefore = new Date(now.getTime() - (deps.labelScanHours ?? 24) * 3_600_000);
  const shipments = await db.query<{
    id: number;
    order_id: string;
    status: string;
    carrier: string | null;
    tracking_ids: string[];
    promised_at: Date | null;
    delivered_at: Date | null;
    label_purchased_at: Date | null;
  }>(
    `SELECT id, order_id, status, carrier, tracking_ids, promised_at, delivered_at, label_purchased_at FROM shipments
      WHERE status = 'exception'
         OR (promised_at < $1 AND delivered_at IS NULL AND status NOT IN ('delivered', 'returned', 'voided', 'cancelled'))
         OR (status = 'pre_transit' AND label_purchased_at < $2)`,
    [now.toISOString(), scanBefore.toISOString()],
  );
  for (const s of shipments.rows) {
    const subjectId = String(s.id);
    const what = `shipment ${s.id} of order ${s.order_id}${s.carrier ? ` (${s.carrier} ${s.tracking_ids.join(', ')})` : ''}`;
    const rules: string[] = [];
    if (s.status === 'exception') {
      rules.push('carrier_exception');
      raised.push(
        (
          await raiseFlagWithAlert(
            db,
            {
              subjectType: 'fulfilment',
              subjectId,
              rule: 'carrier_exception',
              category: 'operations',
              severity: 'warning',
              score: 70,
              title: `${what}: carrier exception`,
              reasons: [`the carrier reported an exception on ${what}`],
              evidence: { orderId: s.order_id, carrier: s.carrier, trackingIds: s.tracking_ids },
            },
            deps.actor,
            deps.alerts,
            deps.log,
          )
        ).flag,
      );
    }
    if (s.status === 'pre_transit' && s.label_purchased_at && new Date(s.label_purchased_at) < scanBefore) {
      rules.push('label_not_scanned');
      const hours = hoursBetween(new Date(s.label_purchased_at), now);
      raised.push(
        (
          await raiseFlagWithAlert(
            db,
            {
              subjectType: 'fulfilment',
              subjectId,
              rule: 'label_not_scanned',
              category: 'operations',
              severity: hours > 2 * (deps.labelScanHours ?? 24) ? 'critical' : 'warning',
              score: Math.min(100, Math.round(40 + hours)),
              title: `${what}: label bought ${hours.toFixed(0)} h ago, no carrier scan`,
              reasons: [`label bought ${new Date(s.label_purchased_at).toISOString()}; the carrier has not scanned the parcel in ${hours.toFixed(1)} h`],
              evidence: { orderId: s.order_id, labelPurchasedAt: s.label_purchased_at, carrier: s.carrier },
            },
            deps.actor,
            deps.alerts,
            deps.log,
          )
        ).flag,
      );
    }
    if (s.promised_at && !s.delivered_at && !['delivered', 'returned', 'voided', 'cancelled'].includes(s.status) && new Date(s.promised_at) < now) {
      rules.push('past_promised_date');
      const hours = hoursBetween(new Date(s.promised_at), now);
      raised.push(
        (
          await raiseFlagWithAlert(
            db,
            {
              subjectType: 'fulfilment',
              subjectId,
              rule: 'past_promised_date',
              category: 'operations',
              severity: hours > 48 ? 'critical' : 'warning',
              score: Math.min(100, Math.round(50 + hours)),
              title: `${what}: ${hours.toFixed(0)} h past the promised date`,
              reasons: [`promised by ${new Date(s.promised_at).toISOString()}, not delivered ${hours.toFixed(1)} h later (status ${s.status})`],
              evidence: { orderId: s.order_id, promisedAt: s.promised_at, status: s.status },
            },
            deps.actor,
            deps.alerts,
            deps.log,
          )
        ).flag,
      );
    }
    troubled.set(subjectId, rules);
  }
  const openShip = await db.query<{ subject_id: string; rule: string }>(
    `SELECT subject_id, rule FROM anomaly_flags WHERE subject_type = 'fulfilment' AND status <> 'resolved'`,
  );
  for (const r of openShip.rows) {
    if (!(troubled.get(r.subject_id) ?? []).includes(r.rule)) {
      cleared.push(...(await clearFlags(db, 'fulfilment', r.subject_id, [r.rule], deps.actor)));
    }
  }
  return { raised, cleared };
}
