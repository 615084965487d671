import type { NotificationContextRef } from './load-notification-context.js';
import type { MessageCategory } from './notification-links.js';
import type { NotificationTrigger } from './workflow.js';
import type { WorkflowCursor } from './workflow-cursor.js';

export type RunStatus = 'scheduled' | 'running' | 'done' | 'cancelled' | 'failed';

/** One workflow started for one customer by one happening (a row of notification_runs). */
export interface NotificationRun {
  id: number;
  workflowId: string;
  customerId: string;
  orderId: string;
  shipmentId: number | null;
  trigger: NotificationTrigger;
  dedupeKey: string;
  triggerData: { kind?: string | null; detail?: string | null; [k: string]: unknown };
  cursor: WorkflowCursor;
  status: RunStatus;
  dueAt: Date;
  leaseUntil: Date | null;
  attempts: number;
  outcomeDetail: string;
}

export interface RunRow {
  id: string | number;
  workflow_id: string;
  customer_id: string;
  order_id: string;
  shipment_id: string | number | null;
  trigger: NotificationTrigger;
  dedupe_key: string;
  trigger_data: NotificationRun['triggerData'];
  cursor: WorkflowCursor;
  status: RunStatus;
  due_at: Date | string;
  lease_until: Date | string | null;
  attempts: number;
  outcome_detail: string;
}

export const runFromRow = (r: RunRow): NotificationRun => ({
  id: Number(r.id),
  workflowId: r.workflow_id,
  customerId: r.customer_id,
  orderId: r.order_id,
  shipmentId: r.shipment_id === null ? null : Number(r.shipment_id),
  trigger: r.trigger,
  dedupeKey: r.dedupe_key,
  triggerData: r.trigger_data ?? {},
  cursor: r.cursor,
  status: r.status,
  dueAt: new Date(r.due_at),
  leaseUntil: r.lease_until === null ? null : new Date(r.lease_until),
  attempts: r.attempts,
  outcomeDetail: r.outcome_detail,
});

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What a run's context is about: its order and shipment, and the happening's words and money. */
export function contextRefOf(
  run: Pick<NotificationRun, 'orderId' | 'shipmentId' | 'trigger' | 'triggerData'>,
  category: MessageCategory = 'transactional',
): NotificationContextRef {
  const d = run.triggerData;
  const amount = text(d.amount);
  return {
    orderId: run.orderId,
    shipmentId: run.shipmentId,
    trigger: run.trigger,
    event: { kind: text(d.kind), detail: text(d.detail) },
    refund: amount ? { amount, currency: text(d.currency) ?? 'USD' } : null,
    category,
  };
}
