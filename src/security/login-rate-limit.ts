import type { Db } from '../db/db.js';

export interface LoginLimits {
  /** Failures allowed per email within the window. */
  perEmail: number;
  /** Failures allowed per client address within the window (one address trying many emails). */
  perIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perEmail: 5, perIp: 20, windowMs: 15 * 60_000 };

export interface LoginRateLimit {
  /** Seconds until this email and address may try again, or 0 when they may now. */
  retryAfterSeconds(email: string, ip: string): Promise<number>;
  recordFailure(email: string, ip: string): Promise<void>;
  /** A correct password clears that email's failures (not the address's). */
  recordSuccess(email: string): Promise<void>;
}

/**
 * Counts failed sign-ins in the database over a sliding window, so that every API process
 * shares one count and a restart does not hand out a fresh allowance.
 */
export function createLoginRateLimit(db: Db, limits: LoginLimits = DEFAULT_LOGIN_LIMITS, now: () => Date = () => new Date()): LoginRateLimit {
  /** When the failure that keeps `key` over its limit leaves the window, or null when under it. */
  const blockedUntil = async (column: 'email' | 'ip', value: string, limit: number, since: Date): Promise<number | null> => {
    // The limit-th newest failure in the window: once it ages out, one more attempt is allowed.
    const { rows } = await db.query<{ attempted_at: Date | string }>(
      `SELECT attempted_at FROM login_attempts WHERE ${column} = $1 AND attempted_at > $2
        ORDER BY attempted_at DESC OFFSET $3 LIMIT 1`,
      [value, since.toISOString(), limit - 1],
    );
    return rows[0] ? new Date(rows[0].attempted_at).getTime() + limits.windowMs : null;
  };

  return {
    async retryAfterSeconds(email, ip) {
      const at = now();
      const since = new Date(at.getTime() - limits.windowMs);
      const until = Math.max((await blockedUntil('email', email, limits.perEmail, since)) ?? 0, (await blockedUntil('ip', ip, limits.perIp, since)) ?? 0);
      return until > at.getTime() ? Math.ceil((until - at.getTime()) / 1000) : 0;
    },

    async recordFailure(email, ip) {
      const at = now();
      await db.query('INSERT INTO login_attempts (email, ip, attempted_at) VALUES ($1, $2, $3)', [email, ip, at.toISOString()]);
      // Keeps the table to the window; rows older than it are never read again.
      await db.query('DELETE FROM login_attempts WHERE attempted_at <= $1', [new Date(at.getTime() - limits.windowMs).toISOString()]);
    },

    async recordSuccess(email) {
      await db.query('DELETE FROM login_attempts WHERE email = $1', [email]);
    },
  };
}
