import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import type { AlertSink } from '../alert-sink.js';
import type { AnomalyFlag } from './anomaly-flag.js';
import { raiseFlag, type FlagInput } from './raise-flag.js';

/**
 * Raises a flag and, only when it is new (not a refresh of an open one), sends one alert with
 * an Acknowledge button. A failing sink is logged, never undoes the flag.
 */
export async function raiseFlagWithAlert(
  db: Db,
  input: FlagInput,
  actor: Actor,
  alerts: AlertSink | undefined,
  log?: (line: string) => void,
): Promise<{ flag: AnomalyFlag; created: boolean }> {
  const raised = await raiseFlag(db, input, actor);
  if (raised.created && alerts) {
    try {
      await alerts.raise({
        subject: `${input.subjectType} ${input.subjectId}`,
        severity: input.severity,
        title: input.title,
        reasons: input.reasons,
        suggestedActions: [
          { kind: 'acknowledge_flag', label: 'Acknowledge', tool: 'acknowledge_flag', args: { flag_id: raised.flag.id } },
        ],
        flagId: raised.flag.id,
        dedupeKey: `anomaly_flag:${raised.flag.id}`,
      });
    } catch (err) {
      log?.(`alert for flag ${raised.flag.id} failed: ${(err as Error).message}`);
    }
  }
  return raised;
}
