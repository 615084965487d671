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

/**
 * Takes the locks of several keys in one round trip, always in the order of their hashes, so two
 * transactions that need overlapping sets queue behind each other instead of deadlocking.
 */
export async function advisoryXactLocks(tx: Db, keys: readonly string[]): Promise<void> {
  if (!tx.inTransaction) throw new Error(`advisory locks ${keys.join(', ')} taken outside a transaction`);
  if (keys.length === 0) return;
  // The sorted subquery runs first; the aggregate then takes each lock in that order.
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS sorted`,
    [keys],
  );
}
