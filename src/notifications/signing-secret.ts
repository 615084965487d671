import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';

/**
 * The key that signs tracking-page and unsubscribe links: SIGNING_SECRET when set, otherwise one
 * made at first use and kept in the database, so every process and every restart signs alike.
 */
export async function loadSigningSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.query(
    `INSERT INTO app_secrets (name, value) VALUES ('link_signing', $1) ON CONFLICT (name) DO NOTHING`,
    [randomBytes(32).toString('base64url')],
  );
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM app_secrets WHERE name = 'link_signing'`);
  return rows[0]!.value;
}
