import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';

/** What a sign-in sent to the issuer must match when it comes back. */
export interface PendingOidcLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcLoginStore {
  /** Keeps a sign-in on its way to the issuer; the returned token goes in the browser's cookie. */
  begin(login: PendingOidcLogin): Promise<{ token: string }>;
  /**
   * The live sign-in of a cookie token, removed as it is read so it can finish once; undefined
   * for an unknown, used or expired one.
   */
  take(token: string): Promise<PendingOidcLogin | undefined>;
}

const rowId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export function createOidcLoginStore(db: Db, options: { ttlMs: number; now?: () => Date }): OidcLoginStore {
  const now = options.now ?? (() => new Date());
  return {
    async begin(login) {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      // Abandoned sign-ins go here rather than in a job: each start clears what has lapsed.
      await db.query('DELETE FROM oidc_logins WHERE expires_at <= $1', [at.toISOString()]);
      await db.query(
        'INSERT INTO oidc_logins (id, state, nonce, code_verifier, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [rowId(token), login.state, login.nonce, login.codeVerifier, at.toISOString(), new Date(at.getTime() + options.ttlMs).toISOString()],
      );
      return { token };
    },

    async take(token) {
      const { rows } = await db.query<{ state: string; nonce: string; code_verifier: string }>(
        'DELETE FROM oidc_logins WHERE id = $1 AND expires_at > $2 RETURNING state, nonce, code_verifier',
        [rowId(token), now().toISOString()],
      );
      const row = rows[0];
      return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier } : undefined;
    },
  };
}
