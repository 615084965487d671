import type { Db } from '../db/db.js';

/** How many approvals can still run: the ones listWaitingApprovals lists (pending, not expired). */
export async function countWaitingApprovals(db: Db): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM approvals WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at > now()`,
  );
  return rows[0]!.count;
}
