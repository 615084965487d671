import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';
import type { Role } from './role-policy.js';

/** The person behind a live session, as the route guard hands it to routes. */
export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

export interface SessionStore {
  /** Opens a session for a signed-in user; `token` goes in the cookie and is stored only hashed. */
  create(userId: string, client: { ip?: string; userAgent?: string }): Promise<{ token: string; csrfToken: string; expiresAt: string }>;
  /**
   * The live session for a cookie token, or undefined when it is unknown, expired or its account
   * is disabled. The role is read from the account each time, so a role change applies at once.
   */
  lookup(token: string): Promise<SessionUser | undefined>;
  /** Ends the session of this token (logout); a no-op for an unknown one. */
  delete(token: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  expire(): Promise<number>;
}

const sessionId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
// Writing last_seen_at on every request would turn each read into a write; once a minute is enough to see activity.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export function createSessionStore(db: Db, options: { ttlMs: number; now?: () => Date }): SessionStore {
  const now = options.now ?? (() => new Date());
  return {
    async create(userId, client) {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + options.ttlMs).toISOString();
      await db.query(
        `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $4, $6, $7)`,
        [sessionId(token), userId, csrfToken, at.toISOString(), expiresAt, client.ip ?? null, client.userAgent?.slice(0, 500) ?? null],
      );
      return { token, csrfToken, expiresAt };
    },

    async lookup(token) {
      const at = now();
      const { rows } = await db.query<{ id: string; user_id: string; email: string; name: string | null; role: Role; csrf_token: string; expires_at: Date | string; last_seen_at: Date | string }>(
        `SELECT s.id, s.user_id, u.email, u.name, u.role, s.csrf_token, s.expires_at, s.last_seen_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.expires_at > $2 AND NOT u.disabled`,
        [sessionId(token), at.toISOString()],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (at.getTime() - new Date(row.last_seen_at).getTime() >= LAST_SEEN_RESOLUTION_MS) {
        await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [row.id, at.toISOString()]);
      }
      return {
        sessionId: row.id,
        userId: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        csrfToken: row.csrf_token,
        expiresAt: new Date(row.expires_at).toISOString(),
      };
    },

    async delete(token) {
      await db.query('DELETE FROM sessions WHERE id = $1', [sessionId(token)]);
    },

    async expire() {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now().toISOString()]);
      return rowCount;
    },
  };
}
