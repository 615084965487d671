import type { FlagCategory, FlagSeverity, FlagStatus, FlagSubjectType } from '../anomaly/flags/anomaly-flag.js';
import { listApprovalsPage } from '../agent/list-approvals-page.js';
import type { Db } from '../db/db.js';
import { MAX_PAGE_LIMIT } from '../domain/paging/page.js';
import { ORDER_STATUSES } from '../domain/orders/order-status.js';
import { countInbox, listInbox, type InboxFilter, type InboxItem } from './inbox.js';

/** One list on the dashboard: at most `limit` items, with the size of the whole set. */
export interface CappedList<T> {
  total: number;
  /** True when `total` is "at least"; the inbox counts every item, so it is false today. */
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
  /** Jobs on the dead-letter list not yet retried (GET /api/jobs/failed lists them). */
  failedJobs: number | null;
}

export interface DashboardOptions {
  /** Items per list (1..200, default 50). */
  limit?: number;
  now?: Date;
}

export const FLAG_CATEGORIES: readonly FlagCategory[] = ['risk', 'stock', 'operations'];

const iso = (v: Date | string): string => new Date(v).toISOString();

/**
 * What an operator needs at a glance: the inbox (approvals waiting for a decision, orders on
 * hold or in exception, unresolved anomaly flags by category, failed jobs), approvals waiting for
 * their requester's confirmation, and the order count per status. Read only; every list but the
 * last comes from the inbox query, oldest first.
 */
export async function dashboardSummary(db: Db, options: DashboardOptions = {}): Promise<DashboardSummary> {
  const limit = Math.max(1, Math.min(MAX_PAGE_LIMIT, Math.trunc(options.limit ?? 50)));
  const now = options.now ?? new Date();

  const counts = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
  const ordersByStatus: Record<string, number> = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0]));
  for (const r of counts.rows) ordersByStatus[r.status] = Number(r.n);
  const totalOrders = Object.values(ordersByStatus).reduce((a, b) => a + b, 0);

  async function inboxList<T>(filter: InboxFilter, map: (item: InboxItem) => T | undefined): Promise<CappedList<T>> {
    const page = await listInbox(db, filter, { limit, cursor: null }, now);
    const total = Object.values(await countInbox(db, filter)).reduce((a, b) => a + b, 0);
    return { total, totalIsLowerBound: false, items: page.items.flatMap((i) => map(i) ?? []) };
  }

  const awaiting = await listApprovalsPage(db, { status: 'awaiting_confirmation' }, { limit, cursor: null });
  const awaitingCount = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM approvals WHERE status = 'awaiting_confirmation'`);
  const flags = {} as Record<FlagCategory, CappedList<DashboardFlag>>;
  for (const category of FLAG_CATEGORIES) flags[category] = await inboxList({ kinds: ['sla_breach', 'flag'], flagCategory: category }, toDashboardFlag);
  const failed = await countInbox(db, { kinds: ['failed_job'] });

  return {
    generatedAt: now.toISOString(),
    ordersByStatus,
    totalOrders,
    pendingApprovals: await inboxList({ kinds: ['approval'] }, (i) =>
      i.kind === 'approval'
        ? {
            id: i.ref,
            tool: i.details.tool,
            summary: i.title,
            orderId: i.orderId,
            customerId: i.customerId,
            reason: i.detail ?? '',
            requestedBy: i.details.requestedBy,
            requesterVerification: i.details.requesterVerification,
            originChannel: i.details.originChannel,
            createdAt: i.since,
            expiresAt: i.details.expiresAt,
          }
        : undefined,
    ),
    awaitingConfirmation: {
      total: awaitingCount.rows[0]!.n,
      totalIsLowerBound: false,
      items: awaiting.items.map((a) => ({
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
      })),
    },
    heldOrders: await inboxList({ kinds: ['held_order'] }, (i) =>
      i.kind === 'held_order'
        ? { id: i.ref, customerId: i.customerId ?? '', holdReason: i.detail, placedAt: iso(i.details.placedAt), heldSince: i.since }
        : undefined,
    ),
    exceptionOrders: await inboxList({ kinds: ['exception'] }, (i) =>
      i.kind === 'exception' ? { id: i.ref, customerId: i.customerId ?? '', reason: i.detail, placedAt: iso(i.details.placedAt), since: i.since } : undefined,
    ),
    flags,
    failedJobs: failed.failed_job,
  };
}

function toDashboardFlag(i: InboxItem): DashboardFlag | undefined {
  if (i.kind !== 'flag' && i.kind !== 'sla_breach') return undefined;
  return {
    id: i.details.flagId,
    subjectType: i.details.subjectType,
    subjectId: i.details.subjectId,
    rule: i.details.rule,
    severity: i.details.severity,
    score: i.details.score,
    title: i.title,
    status: i.details.status,
    occurrences: i.details.occurrences,
    lastSeenAt: i.details.lastSeenAt,
  };
}
