import type { Db } from '../../db/db.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagCategory, type FlagRow, type FlagStatus, type FlagSubjectType } from './anomaly-flag.js';

export interface FlagFilter {
  /** Default: open and acknowledged (everything not resolved). */
  status?: FlagStatus | 'unresolved' | 'any';
  category?: FlagCategory;
  subjectType?: FlagSubjectType;
  subjectId?: string;
  limit?: number;
}

/** Flags newest first (critical before others within the same minute is not attempted: recency wins). */
export async function listFlags(db: Db, filter: FlagFilter = {}): Promise<AnomalyFlag[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const status = filter.status ?? 'unresolved';
  if (status === 'unresolved') where.push(`status <> 'resolved'`);
  else if (status !== 'any') where.push(`status = $${params.push(status)}`);
  if (filter.category) where.push(`category = $${params.push(filter.category)}`);
  if (filter.subjectType) where.push(`subject_type = $${params.push(filter.subjectType)}`);
  if (filter.subjectId) where.push(`subject_id = $${params.push(filter.subjectId)}`);
  const limit = Math.max(1, Math.min(200, filter.limit ?? 50));
  const { rows } = await db.query<FlagRow>(
    `SELECT * FROM anomaly_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY last_seen_at DESC, id DESC LIMIT ${limit}`,
    params,
  );
  return rows.map(toAnomalyFlag);
}
