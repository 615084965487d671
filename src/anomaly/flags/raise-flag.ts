import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import { recordAudit } from '../../domain/audit/audit-log.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagRow } from './anomaly-flag.js';

export type FlagInput = Pick<
  AnomalyFlag,
  'subjectType' | 'subjectId' | 'rule' | 'category' | 'severity' | 'score' | 'title' | 'reasons'
> & { evidence?: Record<string, unknown> };

/**
 * Raises a flag, or, when the same subject and rule already has an open or acknowledged flag,
 * refreshes that one (count, last seen, latest reasons, the higher score and severity) instead
 * of adding a second. `created` says which happened, so callers alert only once.
 */
export async function raiseFlag(db: Db, input: FlagInput, actor: Actor): Promise<{ flag: AnomalyFlag; created: boolean }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<FlagRow & { created: boolean }>(
      `INSERT INTO anomaly_flags (subject_type, subject_id, rule, category, severity, score, title, reasons, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (subject_type, subject_id, rule) WHERE status <> 'resolved' DO UPDATE
         SET occurrences = anomaly_flags.occurrences + 1,
             last_seen_at = now(),
             score = GREATEST(anomaly_flags.score, EXCLUDED.score),
             severity = CASE WHEN EXCLUDED.severity = 'critical' OR anomaly_flags.severity = 'critical' THEN 'critical'
                             WHEN EXCLUDED.severity = 'warning' OR anomaly_flags.severity = 'warning' THEN 'warning'
                             ELSE 'info' END,
             title = EXCLUDED.title,
             reasons = EXCLUDED.reasons,
             evidence = EXCLUDED.evidence
       RETURNING *, (xmax = 0) AS created`,
      [
        input.subjectType,
        input.subjectId,
        input.rule,
        input.category,
        input.severity,
        Math.round(input.score * 10) / 10,
        input.title,
        JSON.stringify(input.reasons),
        JSON.stringify(input.evidence ?? {}),
      ],
    );
    const row = rows[0]!;
    const flag = toAnomalyFlag(row);
    if (row.created) {
      await recordAudit(tx, actor, {
        action: 'anomaly.flag_raised',
        entityType: 'anomaly_flag',
        entityId: String(flag.id),
        data: { subject: `${flag.subjectType}:${flag.subjectId}`, rule: flag.rule, score: flag.score, reasons: flag.reasons },
      });
    }
    return { flag, created: !!row.created };
  });
}
