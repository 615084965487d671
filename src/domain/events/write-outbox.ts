import type { Db } from '../../db/db.js';

/** Writes an event in the caller's transaction, so it exists exactly when the change commits. */
export async function writeOutbox(tx: Db, topic: string, payload: Record<string, unknown>): Promise<void> {
  await tx.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2)', [topic, JSON.stringify(payload)]);
}
