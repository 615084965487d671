import type { Db } from '../../db/db.js';
import { ORDER_STATUSES } from './order-status.js';

/** How many orders hold each status; every known status is present, with 0 when none holds it. */
export async function countOrdersByStatus(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM orders GROUP BY status');
  const counts = new Map<string, number>(ORDER_STATUSES.map((s) => [s, 0]));
  for (const r of rows) counts.set(r.status, r.count);
  return counts;
}
