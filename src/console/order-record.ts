import { toApprovalView, type ApprovalRow, type ApprovalView } from '../agent/approval-view.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagRow } from '../anomaly/flags/anomaly-flag.js';
import type { FiredRule } from '../anomaly/risk-score.js';
import type { Db } from '../db/db.js';
import { formatRoutingExplanation } from '../domain/routing/format-routing-decision.js';
import { listRoutingDecisions } from '../domain/routing/routing-decision-repository.js';

/** One line of an order's history, from whichever record said it. */
export interface OrderHistoryEntry {
  at: string;
  source: 'status' | 'audit' | 'approval' | 'routing' | 'risk';
  actor: string | null;
  text: string;
}

/** Why an order ships from where it does, why it was held or flagged, and everything that happened to it. */
export interface OrderRecord {
  routing: {
    locations: string[];
    promisedDeliveryAt: string | null;
    trigger: string;
    decidedAt: string;
    /** The latest decision explained line by line. */
    explanation: string[];
    earlier: { at: string; trigger: string; locations: string[] }[];
  } | null;
  risk: { score: number; decision: string; scoredAt: string; reasons: { code: string; reason: string; points: number }[] } | null;
  flags: AnomalyFlag[];
  approvals: ApprovalView[];
  /** Newest first. */
  history: OrderHistoryEntry[];
}

const iso = (v: Date | string) => new Date(v).toISOString();
const AUDIT_LIMIT = 200;

/** The order page's record beyond the order itself; null parts where nothing was decided yet. */
export async function loadOrderRecord(db: Db, orderId: string): Promise<OrderRecord> {
  const [decisions, risk, flags, approvals, events, audit] = await Promise.all([
    listRoutingDecisions(db, orderId, 10),
    db.query<{ score: string; decision: string; fired: FiredRule[]; scored_at: Date | string }>(
      'SELECT score, decision, fired, scored_at FROM anomaly_order_scores WHERE order_id = $1',
      [orderId],
    ),
    db.query<FlagRow>(`SELECT * FROM anomaly_flags WHERE subject_type = 'order' AND subject_id = $1 ORDER BY id DESC`, [orderId]),
    db.query<ApprovalRow>(`SELECT * FROM approvals WHERE preview->>'orderId' = $1 ORDER BY created_at DESC LIMIT 50`, [orderId]),
    db.query<{ from_status: string | null; to_status: string; reason: string; actor: string; created_at: Date | string }>(
      'SELECT from_status, to_status, reason, actor, created_at FROM order_events WHERE order_id = $1 ORDER BY id',
      [orderId],
    ),
    db.query<{ at: Date | string; actor_kind: string; actor_id: string; on_behalf_of: string | null; action: string; data: Record<string, unknown> }>(
      `SELECT at, actor_kind, actor_id, on_behalf_of, action, data FROM audit_log
        WHERE entity_type = 'order' AND entity_id = $1 ORDER BY id DESC LIMIT ${AUDIT_LIMIT}`,
      [orderId],
    ),
  ]);
  const approvalViews = approvals.rows.map(toApprovalView);
  const flagViews = flags.rows.map(toAnomalyFlag);
  const scored = risk.rows[0];
  const history: OrderHistoryEntry[] = [
    ...events.rows.map((e) => ({
      at: iso(e.created_at),
      source: 'status' as const,
      actor: e.actor,
      text: `${e.from_status ? `${e.from_status} → ` : ''}${e.to_status}${e.reason ? `: ${e.reason}` : ''}`,
    })),
    ...audit.rows.map((a) => ({
      at: iso(a.at),
      source: 'audit' as const,
      actor: a.on_behalf_of ? `${a.actor_id} for ${a.on_behalf_of}` : a.actor_id,
      text: `${a.action.replace(/[._]/g, ' ')}${auditDetail(a.data)}`,
    })),
    ...approvalViews.flatMap((a) => {
      const asked = { at: a.createdAt, source: 'approval' as const, actor: a.requester.id, text: `asked: ${a.preview.summary} (${a.reason})` };
      if (!a.decidedAt) return [asked];
      return [asked, { at: a.decidedAt, source: 'approval' as const, actor: a.decidedBy, text: `${a.status}: ${a.preview.summary}${a.decisionReason ? ` (${a.decisionReason})` : ''}` }];
    }),
    ...decisions.map((d) => ({
      at: d.createdAt,
      source: 'routing' as const,
      actor: d.actor,
      text: `routed (${d.trigger}) to ${d.explanation.winner.locations.join(' + ') || 'nowhere'}`,
    })),
    ...flagViews.map((f) => ({ at: f.firstSeenAt, source: 'risk' as const, actor: null, text: `flagged: ${f.title}` })),
    ...(scored ? [{ at: iso(scored.scored_at), source: 'risk' as const, actor: null, text: `risk score ${Number(scored.score)} (${scored.decision})` }] : []),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const [latest, ...earlier] = decisions;
  return {
    routing: latest
      ? {
          locations: latest.explanation.winner.locations,
          promisedDeliveryAt: latest.promisedDeliveryAt,
          trigger: latest.trigger,
          decidedAt: latest.createdAt,
          explanation: formatRoutingExplanation(latest.explanation),
          earlier: earlier.map((d) => ({ at: d.createdAt, trigger: d.trigger, locations: d.explanation.winner.locations })),
        }
      : null,
    risk: scored
      ? {
          score: Number(scored.score),
          decision: scored.decision,
          scoredAt: iso(scored.scored_at),
          reasons: scored.fired.map((f) => ({ code: f.code, reason: f.reason, points: f.points })),
        }
      : null,
    flags: flagViews,
    approvals: approvalViews,
    history,
  };
}

/** A short tail for an audit line: the reason or note the change carried, when it had one. */
function auditDetail(data: Record<string, unknown>): string {
  for (const key of ['reason', 'note', 'resolution']) {
    const v = data[key];
    if (typeof v === 'string' && v !== '') return `: ${v.slice(0, 200)}`;
  }
  return '';
}
