import type { Db } from '../../db/db.js';
import { toCents, type Cents } from '../money.js';

/** Everything refunded on the order so far, by any door (refunds, cancellations, returns), from its payments ledger. */
export async function refundedTotal(db: Db, orderId: string): Promise<Cents> {
  const { rows } = await db.query<{ total: string }>(
    `SELECT COALESCE(sum(amount), 0)::text AS total FROM payments WHERE order_id = $1 AND kind = 'refund'`,
    [orderId],
  );
  return toCents(rows[0]!.total);
}
