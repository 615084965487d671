import type { LogLine } from '../config/logger.js';
import type { AnomalyFlag } from './flags/anomaly-flag.js';

export interface SweepSummary {
  /** Breaches seen by the sweep, by rule: those first seen in this sweep and those still open from before. */
  byRule: Record<string, { new: number; open: number }>;
  cleared: number;
}

/**
 * Logs one monitor sweep as at most one info line (counts by rule, new vs still open, cleared),
 * and each breach first seen in this sweep at debug; a breach still open is never repeated.
 * Nothing at all is logged for a sweep that found and cleared nothing.
 */
export function summariseSweep(
  log: { info: LogLine; debug: LogLine },
  name: string,
  found: readonly AnomalyFlag[],
  cleared: number,
  sweepStartedAt: Date,
): SweepSummary {
  const byRule: SweepSummary['byRule'] = {};
  for (const flag of found) {
    const fresh = new Date(flag.firstSeenAt) >= sweepStartedAt;
    const counts = (byRule[flag.rule] ??= { new: 0, open: 0 });
    if (fresh) {
      counts.new += 1;
      log.debug(`${name}: new ${flag.rule}: ${flag.title}`, { flagId: flag.id, rule: flag.rule, subject: `${flag.subjectType} ${flag.subjectId}` });
    } else counts.open += 1;
  }
  if (found.length || cleared) {
    const total = Object.values(byRule).reduce((n, c) => ({ new: n.new + c.new, open: n.open + c.open }), { new: 0, open: 0 });
    log.info(`${name}: ${total.new} new, ${total.open} still open, ${cleared} cleared`, { sweep: name, byRule, cleared });
  }
  return { byRule, cleared };
}
