import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../../domain/actor.js';
import { recordAudit } from '../../domain/audit/audit-log.js';
import { DomainError } from '../../domain/domain-error.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagRow } from './anomaly-flag.js';
import { getFlag } from './get-flag.js';

/** Someone has seen the flag and is on it: open → acknowledged. A resolved flag cannot be. */
export async function acknowledgeFlag(db: Db, id: number, actor: Actor, note?: string): Promise<AnomalyFlag> {
  return db.transaction(async (tx) => {
    const flag = await getFlag(tx, id, true);
    if (flag.status === 'resolved') {
      throw new DomainError('conflict', 'flag_resolved', `flag ${id} is already resolved (${flag.resolution ?? 'no note'})`);
    }
    if (flag.status === 'acknowledged') return flag;
    const { rows } = await tx.query<FlagRow>(
      `UPDATE anomaly_flags SET status = 'acknowledged', acknowledged_by = $2, acknowledged_at = now() WHERE id = $1 RETURNING *`,
      [id, actorLabel(actor)],
    );
    await recordAudit(tx, actor, {
      action: 'anomaly.flag_acknowledged',
      entityType: 'anomaly_flag',
      entityId: String(id),
      data: { note: note ?? '' },
    });
    return toAnomalyFlag(rows[0]!);
  });
}
