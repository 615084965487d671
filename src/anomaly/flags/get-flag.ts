import type { Db } from '../../db/db.js';
import { DomainError } from '../../domain/domain-error.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagRow } from './anomaly-flag.js';

/** One flag by id; `forUpdate` locks it for a status change in the caller's transaction. */
export async function getFlag(db: Db, id: number, forUpdate = false): Promise<AnomalyFlag> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('invalid', 'invalid_flag_id', `flag id must be a positive integer, got ${id}`);
  const { rows } = await db.query<FlagRow>(`SELECT * FROM anomaly_flags WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  if (!rows[0]) throw new DomainError('not_found', 'flag_not_found', `flag ${id} not found`);
  return toAnomalyFlag(rows[0]);
}
