import type { Db } from '../../db/db.js';

const checked = new WeakMap<Db, boolean>();

/** True when the database has the pgvector extension available (installed or installable). */
export async function pgvectorAvailable(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** True when the kb_vectors table exists, that is the passages were embedded on a pgvector database. */
export async function hasVectorStore(db: Db): Promise<boolean> {
  const cached = checked.get(db);
  if (cached !== undefined) return cached;
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('kb_vectors')::text AS t`);
  const found = rows[0]?.t != null;
  if (found) checked.set(db, true);
  return found;
}
