import type { ApprovalService } from '../../agent/approval-service.js';
import type { ApprovalView } from '../../agent/approval-view.js';
import type { Db } from '../../db/db.js';
import type { AnomalyFlag, FlagCategory, FlagSeverity, FlagStatus, FlagSubjectType } from '../../anomaly/flags/anomaly-flag.js';
import { listFlags } from '../../anomaly/flags/list-flags.js';
import { ORDER_STATUSES } from '../orders/order-status.js';

/** One list on the dashboard: at most `limit` items, with the size of the whole set. */
export interface CappedList<T> {
  total: number;
  /**
   * True when the source list function stopped at its own ceiling, so `total` is "at least":
   * the dashboard reads approvals and flags only through their list functions, which cap rows.
   */
  totalIsLowerBound: boolean;
  items: T[];
}

export interface DashboardApproval {
  id: string;
  tool: string;
  summary: string;
  orderId: string | null;
  customerId: string | null;
  reason: string;
  requestedBy: string;
  /** How the requester was verified, e.g. "email, DMARC pass for example.com". */
  requesterVerification: string;
  originChannel: string;
  createdAt: string;
  expiresAt: string;
}

export interface DashboardHeldOrder {
  id: string;
  customerId: string;
  holdReason: string | null;
  placedAt: string;
  heldSince: string;
}

export interface DashboardExceptionOrder {
  id: string;
  customerId: string;
  /** The reason written when the order moved to exception, if any. */
  reason: string | null;
  placedAt: string;
  since: string;
}

export interface DashboardFlag {
  id: number;
  subjectType: FlagSubjectType;
  subjectId: string;
  rule: string;
  severity: FlagSeverity;
  score: number;
  title: string;
  status: FlagStatus;
  occurrences: number;
  lastSeenAt: string;
}

export interface DashboardSummary {
  generatedAt: string;
  /** Every known status (zero when none) plus any unexpected status found in the table. */
  ordersByStatus: Record<string, number>;
  totalOrders: number;
  pendingApprovals: CappedList<DashboardApproval>;
  /** Requests from unverified senders, waiting for the mailbox owner's code; nobody can approve them yet. */
  awaitingConfirmation: CappedList<DashboardApproval>;
  heldOrders: CappedList<DashboardHeldOrder>;
  exceptionOrders: CappedList<DashboardExceptionOrder>;
  flags: Record<FlagCategory, CappedList<DashboardFlag>>;
  /** Jobs on the dead-letter list not yet retried (GET /api/jobs/failed lists them); null when not counted. */
  failedJobs: number | null;
}

export interface DashboardOptions {
  /** The approval service of the process; the dashboard only lists through it. */
  approvals: Pick<ApprovalService, 'listApprovals'>;
  /** Items per list (1..200, default 50). */
  limit?: number;
  /** Counts the dead-letter list; the jobs room owns it, so the edge passes it in. */
  countFailedJobs?: () => Promise<number>;
  now?: Date;
}

export const FLAG_CATEGORIES: readonly FlagCategory[] = ['risk', 'stock', 'operations'];
const APPROVAL_LIST_CEILING = 500;
const FLAG_LIST_CEILING = 200;

const iso = (v: Date | string): string => new Date(v).toISOString();

function capped<T>(all: T[], limit: number, ceiling: number): CappedList<T> {
  return { total: all.length, totalIsLowerBound: all.length >= ceiling, items: all.slice(0, limit) };
}

function toDashboardApproval(a: ApprovalView): DashboardApproval {
  return {
    id: a.id,
    tool: a.tool,
    summary: a.preview.summary,
    orderId: a.preview.orderId ?? null,
    customerId: a.preview.customerId ?? a.customerId,
    reason: a.reason,
    requestedBy: a.requester.id,
    requesterVerification: a.requesterVerification.summary,
    originChannel: a.origin.channel,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
  };
}

/**
 * What an operator needs at a glance: approvals waiting for a decision, orders on hold or in
 * exception, unresolved anomaly flags by category, failed jobs and the order count per status. Read only.
 */
export async function dashboardSummary(db: Db, options: DashboardOptions): Promise<DashboardSummary> {
  const limit = Math.max(1, Math.min(200, Math.trunc(options.limit ?? 50)));

  const counts = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
  const ordersByStatus: Record<string, number> = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0]));
  for (const r of counts.rows) ordersByStatus[r.status] = Number(r.n);
  const totalOrders = Object.values(ordersByStatus).reduce((a, b) => a + b, 0);

  // Longest-waiting first: those are the ones someone has forgotten.
  const held = await db.query<{ id: string; customer_id: string; hold_reason: string | null; placed_at: Date; status_changed_at: Date }>(
    `SELECT id, customer_id, hold_reason, placed_at, status_changed_at FROM orders
      WHERE status = 'on_hold' ORDER BY status_changed_at, id LIMIT ${limit}`,
  );
  const exceptions = await db.query<{ id: string; customer_id: string; reason: string | null; placed_at: Date; status_changed_at: Date }>(
    `SELECT o.id, o.customer_id, o.placed_at, o.status_changed_at,
            (SELECT NULLIF(e.reason, '') FROM order_events e
              WHERE e.order_id = o.id AND e.to_status = 'exception' ORDER BY e.id DESC LIMIT 1) AS reason
       FROM orders o WHERE o.status = 'exception' ORDER BY o.status_changed_at, o.id LIMIT ${limit}`,
  );

  const pending = await options.approvals.listApprovals({ status: 'pending', limit: APPROVAL_LIST_CEILING });
  const awaiting = await options.approvals.listApprovals({ status: 'awaiting_confirmation', limit: APPROVAL_LIST_CEILING });

  const flagLists: AnomalyFlag[][] = [];
  for (const category of FLAG_CATEGORIES) {
    flagLists.push(await listFlags(db, { status: 'unresolved', category, limit: FLAG_LIST_CEILING }));
  }

  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    ordersByStatus,
    totalOrders,
    pendingApprovals: capped(pending.map(toDashboardApproval), limit, APPROVAL_LIST_CEILING),
    awaitingConfirmation: capped(awaiting.map(toDashboardApproval), limit, APPROVAL_LIST_CEILING),
    heldOrders: {
      total: ordersByStatus.on_hold ?? 0,
      totalIsLowerBound: false,
      items: held.rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        holdReason: r.hold_reason,
        placedAt: iso(r.placed_at),
        heldSince: iso(r.status_changed_at),
      })),
    },
    exceptionOrders: {
      total: ordersByStatus.exception ?? 0,
      totalIsLowerBound: false,
      items: exceptions.rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        reason: r.reason,
        placedAt: iso(r.placed_at),
        since: iso(r.status_changed_at),
      })),
    },
    flags: Object.fromEntries(
      FLAG_CATEGORIES.map((category, i) => [
        category,
        capped(
          flagLists[i]!.map((f) => ({
            id: f.id,
            subjectType: f.subjectType,
            subjectId: f.subjectId,
            rule: f.rule,
            severity: f.severity,
            score: f.score,
            title: f.title,
            status: f.status,
            occurrences: f.occurrences,
            lastSeenAt: f.lastSeenAt,
          })),
          limit,
          FLAG_LIST_CEILING,
        ),
      ]),
    ) as Record<FlagCategory, CappedList<DashboardFlag>>,
    failedJobs: options.countFailedJobs ? await options.countFailedJobs() : null,
  };
}
