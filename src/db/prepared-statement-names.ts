import { createHash } from 'node:crypto';

export interface PreparedStatementNamesOptions {
  /** A statement text is prepared from this sighting on; rarer texts run unnamed. */
  hotAfter?: number;
  /** At most this many texts get a name, so SQL built with a varying number of placeholders cannot fill every session's plan cache. */
  maxNames?: number;
}

/**
 * Names for PostgreSQL prepared statements, one per hot statement text. A named statement is
 * parsed and planned once per connection instead of on every call, which is most of the server's
 * work for the short statements an order is made of. After a schema change, a session's cached
 * plan of `SELECT *` can no longer be used (0A000); `renew()` moves every text to a new name, so
 * the next call prepares it again instead of failing on the stale plan. Names left behind stay
 * prepared on their connections until those close.
 */
export class PreparedStatementNames {
  private readonly hotAfter: number;
  private readonly maxNames: number;
  private readonly sightings = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private generation = 0;

  constructor(options: PreparedStatementNamesOptions = {}) {
    this.hotAfter = options.hotAfter ?? 2;
    this.maxNames = options.maxNames ?? 256;
  }

  nameFor(sql: string): string | undefined {
    const named = this.names.get(sql);
    if (named) return named;
    if (this.names.size >= this.maxNames) return undefined;
    const seen = (this.sightings.get(sql) ?? 0) + 1;
    if (seen < this.hotAfter) {
      // Bounded too: a flood of one-off texts starts the count afresh rather than growing it.
      if (this.sightings.size >= this.maxNames * 16) this.sightings.clear();
      this.sightings.set(sql, seen);
      return undefined;
    }
    this.sightings.delete(sql);
    const name = `oo${this.generation}_${createHash('sha1').update(sql).digest('base64url').slice(0, 22)}`;
    this.names.set(sql, name);
    return name;
  }

  renew(): void {
    this.generation++;
    this.names.clear();
    this.sightings.clear();
  }
}

/**
 * PostgreSQL refusing a named statement: its cached plan no longer fits the table (0A000 after a
 * schema change), or the session and this process disagree on what is prepared (26000 "does not
 * exist", 42P05 "already exists": a statement closed under the client, or a pooler that moved the
 * connection to another session).
 */
export function isPreparedStatementFault(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (e?.code === '26000' || e?.code === '42P05') return typeof e.message === 'string' && e.message.includes('prepared statement');
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

/** A fault that leaves the connection's record of its prepared statements wrong: drop the connection. */
export function isPreparedStatementMismatch(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return isPreparedStatementFault(err) && (code === '26000' || code === '42P05');
}
