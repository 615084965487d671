import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../../domain/actor.js';
import { recordAudit } from '../../domain/audit/audit-log.js';
import { DomainError } from '../../domain/domain-error.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagRow } from './anomaly-flag.js';
import { getFlag } from './get-flag.js';

/**
 * Closes a flag with a note on how it ended. Afterwards the same subject and rule may raise a
 * new flag, since the trouble would be new.
 */
export async function resolveFlag(db: Db, id: number, actor: Actor, resolution: string): Promise<AnomalyFlag> {
  const note = resolution.trim();
  if (!note) throw new DomainError('invalid', 'resolution_required', 'resolution: say how the flag was resolved');
  return db.transaction(async (tx) => {
    const flag = await getFlag(tx, id, true);
    if (flag.status === 'resolved') {
      throw new DomainError('conflict', 'flag_resolved', `flag ${id} is already resolved (${flag.resolution ?? 'no note'})`);
    }
    const { rows } = await tx.query<FlagRow>(
      `UPDATE anomaly_flags SET status = 'resolved', resolved_by = $2, resolved_at = now(), resolution = $3 WHERE id = $1 RETURNING *`,
      [id, actorLabel(actor), note],
    );
    await recordAudit(tx, actor, {
      action: 'anomaly.flag_resolved',
      entityType: 'anomaly_flag',
      entityId: String(id),
      data: { resolution: note },
    });
    return toAnomalyFlag(rows[0]!);
  });
}
