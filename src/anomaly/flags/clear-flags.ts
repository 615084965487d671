import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import { resolveFlag } from './resolve-flag.js';

/**
 * Resolves the unresolved flags of `rules` on a subject whose condition no longer holds, so
 * the flag list shows only live trouble. Returns the ids resolved.
 */
export async function clearFlags(
  db: Db,
  subjectType: string,
  subjectId: string,
  rules: readonly string[],
  actor: Actor,
  resolution = 'condition cleared',
): Promise<number[]> {
  if (rules.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM anomaly_flags WHERE subject_type = $1 AND subject_id = $2 AND rule = ANY($3::text[]) AND status <> 'resolved'`,
    [subjectType, subjectId, rules],
  );
  for (const r of rows) await resolveFlag(db, Number(r.id), actor, resolution);
  return rows.map((r) => Number(r.id));
}
