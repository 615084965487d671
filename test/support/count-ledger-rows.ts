import type { Db } from '../../src/db/db.js';

const TABLES = [
  'orders',
  'order_lines',
  'payments',
  'customers',
  'payment_methods',
  'reservations',
  'inventory_movements',
  'order_events',
  'outbox',
  'audit_log',
  'idempotency_keys',
] as const;

/** Row counts of every table an order write touches, to prove a refused request wrote nothing. */
export async function countLedgerRows(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const { rows } = await db.query<Record<string, number>>(
    `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
  );
  return rows[0] as Record<(typeof TABLES)[number], number>;
}
