export const FLAG_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export type FlagSubjectType = 'order' | 'stock' | 'fulfilment';
export type FlagCategory = 'risk' | 'stock' | 'operations';
export type FlagSeverity = 'info' | 'warning' | 'critical';

/** A raised anomaly: one row per subject and rule while it is open or acknowledged. */
export interface AnomalyFlag {
  id: number;
  subjectType: FlagSubjectType;
  subjectId: string;
  rule: string;
  category: FlagCategory;
  severity: FlagSeverity;
  score: number;
  title: string;
  reasons: string[];
  evidence: Record<string, unknown>;
  status: FlagStatus;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export interface FlagRow {
  id: number;
  subject_type: FlagSubjectType;
  subject_id: string;
  rule: string;
  category: FlagCategory;
  severity: FlagSeverity;
  score: string;
  title: string;
  reasons: string[];
  evidence: Record<string, unknown>;
  status: FlagStatus;
  occurrences: number;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  acknowledged_by: string | null;
  acknowledged_at: Date | string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  resolution: string | null;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function toAnomalyFlag(r: FlagRow): AnomalyFlag {
  return {
    id: Number(r.id),
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    rule: r.rule,
    category: r.category,
    severity: r.severity,
    score: Number(r.score),
    title: r.title,
    reasons: r.reasons,
    evidence: r.evidence,
    status: r.status,
    occurrences: r.occurrences,
    firstSeenAt: iso(r.first_seen_at)!,
    lastSeenAt: iso(r.last_seen_at)!,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at),
    resolvedBy: r.resolved_by,
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
  };
}
