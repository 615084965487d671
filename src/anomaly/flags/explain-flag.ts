import type { Db } from '../../db/db.js';
import { auditTrail } from '../../domain/audit/audit-log.js';
import { DEFAULT_ORDER_RULES } from '../rules/default-order-rules.js';
import { FLAG_RULE_DESCRIPTIONS } from './flag-rule-descriptions.js';
import type { AnomalyFlag } from './anomaly-flag.js';
import { getFlag } from './get-flag.js';

export interface FlagExplanation {
  flag: AnomalyFlag;
  /** What the flag's rule checks, in words. */
  rule: string;
  /** For an order risk flag: each rule that fired, what it checks and what it saw. */
  contributions: { code: string; description: string; reason: string; points: number }[];
  /** The order's current status, for order flags. */
  subjectStatus: string | null;
  history: { at: string; action: string; by: string; data: Record<string, unknown> }[];
  /** One paragraph for a person or the model. */
  summary: string;
}

/** Why a flag was raised, what it is made of, and what has happened to it since. */
export async function explainFlag(db: Db, id: number): Promise<FlagExplanation> {
  const flag = await getFlag(db, id);
  const fired = Array.isArray(flag.evidence.fired) ? (flag.evidence.fired as { code: string; reason: string; points: number }[]) : [];
  const contributions = fired.map((f) => ({
    code: f.code,
    description: DEFAULT_ORDER_RULES.find((r) => r.code === f.code)?.description ?? '',
    reason: f.reason,
    points: f.points,
  }));
  let subjectStatus: string | null = null;
  if (flag.subjectType === 'order') {
    const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [flag.subjectId]);
    subjectStatus = rows[0]?.status ?? null;
  }
  const history = (await auditTrail(db, 'anomaly_flag', String(id))).map((a) => ({
    at: new Date(a.at).toISOString(),
    action: a.action,
    by: `${a.actor_kind}:${a.actor_id}`,
    data: a.data,
  }));
  const rule = FLAG_RULE_DESCRIPTIONS[flag.rule] ?? flag.rule;
  const summary =
    `Flag ${flag.id} (${flag.status}, ${flag.severity}, score ${flag.score}) on ${flag.subjectType} ${flag.subjectId}: ${flag.title}. ` +
    `Why: ${flag.reasons.join('; ') || 'no reasons recorded'}.` +
    (flag.occurrences > 1 ? ` Seen ${flag.occurrences} times, last at ${flag.lastSeenAt}.` : '') +
    (subjectStatus ? ` The order is now ${subjectStatus}.` : '');
  return { flag, rule, contributions, subjectStatus, history, summary };
}
