import type { Db } from '../../db/db.js';

/** The ledger's order id for a channel's order id, or null when the ledger does not have it. */
export async function findChannelOrder(db: Db, channel: string, externalId: string): Promise<{ orderId: string; status: string } | null> {
  const { rows } = await db.query<{ id: string; status: string }>(
    'SELECT id, status FROM orders WHERE channel = $1 AND external_id = $2',
    [channel, externalId],
  );
  return rows[0] ? { orderId: rows[0].id, status: rows[0].status } : null;
}
