import type { Db } from './db.js';

/**
 * Takes a transaction-level advisory lock on a string key: another transaction asking for the
 * same key waits until this one commits or rolls back. Outside a transaction the lock would be
 * released at once, so that is refused.
 */
export async function advisoryXactLock(tx: Db, key: string): Promise<void> {
  if (!tx.inTransaction) throw new Error(`advisory lock "${key}" taken outside a transaction`);
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [key]);
}
