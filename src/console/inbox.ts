import type { Db } from '../db/db.js';
import type { FlagCategory } from '../anomaly/flags/anomaly-flag.js';
import { decodePageCursor } from '../domain/paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../domain/paging/page.js';
import { timestampFromKeySql, timestampKeySql } from '../domain/paging/timestamp-key.js';

/**
 * What needs a person: approvals waiting for a decision, orders on hold or in exception, SLA
 * breaches (flags of the SLA rules), other unresolved anomaly flags, and failed jobs not yet retried.
 */
export const INBOX_KINDS = ['approval', 'held_order', 'exception', 'sla_breach', 'flag', 'failed_job'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** Flag rules that mean a promise was broken (a status held too long, a delivery date missed). */
export const SLA_RULES: readonly string[] = ['order_sla', 'past_promised_date'];

interface InboxItemBase {
  /** `kind:ref`, unique across the inbox. */
  id: string;
  /** The id of the record in its own list: approval id, order id, flag id, failed job id. */
  ref: string;
  title: string;
  detail: string | null;
  /** When it started waiting for someone. */
  since: string;
  ageSeconds: number;
  orderId: string | null;
  customerId: string | null;
  customerName: string | null;
}

export type InboxItem =
  | (InboxItemBase & {
      kind: 'approval';
      details: { tool: string; requestedBy: string; requesterVerification: string; originChannel: string; expiresAt: string };
    })
  | (InboxItemBase & { kind: 'held_order' | 'exception'; details: { placedAt: string } })
  | (InboxItemBase & {
      kind: 'sla_breach' | 'flag';
      details: {
        flagId: number;
        subjectType: 'order' | 'stock' | 'fulfilment';
        subjectId: string;
        rule: string;
        category: FlagCategory;
        severity: 'info' | 'warning' | 'critical';
        score: number;
        status: 'open' | 'acknowledged';
        occurrences: number;
        lastSeenAt: string;
      };
    })
  | (InboxItemBase & { kind: 'failed_job'; details: { queue: string; jobId: string; attempts: number } });

export interface InboxFilter {
  /** Only these kinds (default: all). */
  kinds?: readonly InboxKind[];
  /** Flags and SLA breaches of this category only; the other kinds are unaffected. */
  flagCategory?: FlagCategory;
}

const LIST = 'inbox';

// One row shape for every source, so the union sorts and pages as one list.
function sourcesSql(filter: InboxFilter, param: (v: unknown) => string): string {
  const kinds = new Set(filter.kinds ?? INBOX_KINDS);
  const parts: string[] = [];
  // Parameters are numbered only when used: PostgreSQL refuses one the query never mentions.
  let flagParams: { sla: string; category: string } | undefined;
  const flagSql = () =>
    (flagParams ??= {
      sla: param(SLA_RULES),
      category: filter.flagCategory ? ` AND f.category = ${param(filter.flagCategory)}` : '',
    });
  if (kinds.has('approval')) {
    parts.push(`SELECT 'approval' AS kind, a.id AS ref, a.preview->>'summary' AS title, a.reason AS detail, a.created_at AS since,
        a.preview->>'orderId' AS order_id, COALESCE(a.preview->>'customerId', a.customer_id) AS customer_id,
        jsonb_build_object('tool', a.tool, 'requestedBy', a.requester_id, 'requesterVerification', a.requester_verification->>'summary',
          'originChannel', a.origin_channel, 'expiresAt', a.expires_at) AS details
      FROM approvals a WHERE a.status = 'pending' AND a.expires_at > now()`);
  }
  if (kinds.has('held_order')) {
    parts.push(`SELECT 'held_order', o.id, 'Order ' || o.id || ' is on hold', o.hold_reason, o.status_changed_at, o.id, o.customer_id,
        jsonb_build_object('placedAt', o.placed_at)
      FROM orders o WHERE o.status = 'on_hold'`);
  }
  if (kinds.has('exception')) {
    parts.push(`SELECT 'exception', o.id, 'Order ' || o.id || ' is in exception',
        (SELECT NULLIF(e.reason, '') FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'exception' ORDER BY e.id DESC LIMIT 1),
        o.status_changed_at, o.id, o.customer_id, jsonb_build_object('placedAt', o.placed_at)
      FROM orders o WHERE o.status = 'exception'`);
  }
  for (const kind of ['sla_breach', 'flag'] as const) {
    if (!kinds.has(kind)) continue;
    const { sla, category } = flagSql();
    parts.push(`SELECT '${kind}', f.id::text, f.title, (SELECT string_agg(r, '; ') FROM jsonb_array_elements_text(f.reasons) r), f.first_seen_at,
        CASE WHEN f.subject_type IN ('order', 'fulfilment') THEN f.subject_id END, NULL,
        jsonb_build_object('flagId', f.id, 'subjectType', f.subject_type, 'subjectId', f.subject_id, 'rule', f.rule, 'category', f.category,
          'severity', f.severity, 'score', f.score, 'status', f.status, 'occurrences', f.occurrences, 'lastSeenAt', f.last_seen_at)
      FROM anomaly_flags f WHERE f.status <> 'resolved' AND ${kind === 'sla_breach' ? '' : 'NOT '}(f.rule = ANY(${sla}::text[]))${category}`);
  }
  if (kinds.has('failed_job')) {
    parts.push(`SELECT 'failed_job', j.id::text, j.queue || ' job ' || j.job_id || ' failed after ' || j.attempts || ' attempts', j.error, j.failed_at,
        NULL, NULL, jsonb_build_object('queue', j.queue, 'jobId', j.job_id, 'attempts', j.attempts)
      FROM failed_jobs j WHERE j.retried_at IS NULL`);
  }
  return parts.join('\nUNION ALL\n');
}

interface InboxRow {
  kind: InboxKind;
  ref: string;
  title: string | null;
  detail: string | null;
  since: Date | string;
  since_key: string;
  order_id: string | null;
  customer_id: string | null;
  customer_name: string | null;
  details: Record<string, unknown>;
}

const iso = (v: unknown) => new Date(v as string).toISOString();

function toItem(r: InboxRow, now: Date): InboxItem {
  const since = new Date(r.since);
  const base = {
    id: `${r.kind}:${r.ref}`,
    ref: r.ref,
    title: r.title ?? r.ref,
    detail: r.detail,
    since: since.toISOString(),
    ageSeconds: Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000)),
    orderId: r.order_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
  };
  const d = r.details;
  switch (r.kind) {
    case 'approval':
      return { ...base, kind: r.kind, details: { tool: String(d.tool), requestedBy: String(d.requestedBy), requesterVerification: String(d.requesterVerification ?? ''), originChannel: String(d.originChannel), expiresAt: iso(d.expiresAt) } };
    case 'held_order':
    case 'exception':
      return { ...base, kind: r.kind, details: { placedAt: iso(d.placedAt) } };
    case 'sla_breach':
    case 'flag':
      return {
        ...base,
        kind: r.kind,
        details: {
          flagId: Number(d.flagId),
          subjectType: d.subjectType as 'order',
          subjectId: String(d.subjectId),
          rule: String(d.rule),
          category: d.category as FlagCategory,
          severity: d.severity as 'info',
          score: Number(d.score),
          status: d.status as 'open',
          occurrences: Number(d.occurrences),
          lastSeenAt: iso(d.lastSeenAt),
        },
      };
    case 'failed_job':
      return { ...base, kind: r.kind, details: { queue: String(d.queue), jobId: String(d.jobId), attempts: Number(d.attempts) } };
  }
}

/**
 * The inbox, oldest first (what has waited longest is what someone forgot), a page at a time.
 * The one query behind the dashboard, GET /api/inbox and the agent's get_inbox briefing.
 */
export async function listInbox(db: Db, filter: InboxFilter, page: PageRequest, now: Date = new Date()): Promise<Page<InboxItem>> {
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  const sources = sourcesSql(filter, param);
  if (!sources) return { items: [], nextCursor: null };
  let after = '';
  if (page.cursor !== null) {
    const [since, kind, ref] = decodePageCursor(LIST, page.cursor, ['string', 'string', 'string']);
    after = `WHERE (i.since, i.kind COLLATE "C", i.ref COLLATE "C") > (${timestampFromKeySql(param(since))}, ${param(kind)}::text COLLATE "C", ${param(ref)}::text COLLATE "C")`;
  }
  const { rows } = await db.query<InboxRow>(
    `SELECT i.*, ${timestampKeySql('i.since')} AS since_key, NULLIF(trim(c.first_name || ' ' || c.last_name), '') AS customer_name
       FROM (${sources}) AS i (kind, ref, title, detail, since, order_id, customer_id, details)
       LEFT JOIN customers c ON c.id = COALESCE(i.customer_id, (SELECT o.customer_id FROM orders o WHERE o.id = i.order_id))
      ${after}
      ORDER BY i.since, i.kind COLLATE "C", i.ref COLLATE "C" LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return takePage(LIST, rows, page.limit, (r) => [r.since_key, r.kind, r.ref], (r) => toItem(r, now));
}

/** How many items of each kind wait, with the same filter as listInbox. */
export async function countInbox(db: Db, filter: InboxFilter = {}): Promise<Record<InboxKind, number>> {
  const params: unknown[] = [];
  const sources = sourcesSql(filter, (v) => `$${params.push(v)}`);
  const counts = Object.fromEntries(INBOX_KINDS.map((k) => [k, 0])) as Record<InboxKind, number>;
  if (!sources) return counts;
  const { rows } = await db.query<{ kind: InboxKind; n: number }>(
    `SELECT i.kind, count(*)::int AS n FROM (${sources}) AS i (kind, ref, title, detail, since, order_id, customer_id, details) GROUP BY i.kind`,
    params,
  );
  for (const r of rows) counts[r.kind] = Number(r.n);
  return counts;
}
