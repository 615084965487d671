import type { Db, ListenOptions, QueryResult, Unlisten } from './db.js';

/** The statements one `Db` handle (and the transactions opened on it) sent, in order. */
export interface StatementLog {
  /** Every statement's SQL, BEGIN/COMMIT and SAVEPOINT/RELEASE included. */
  readonly statements: string[];
  /** Forgets what was logged so far. */
  clear(): void;
}

class CountingHandle implements Db {
  constructor(
    private readonly inner: Db,
    private readonly log: string[],
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get inTransaction() {
    return this.inner.inTransaction;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    this.log.push(sql);
    return this.inner.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    this.log.push(sql);
    return this.inner.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const nested = this.inner.inTransaction;
    this.log.push(nested ? 'SAVEPOINT' : 'BEGIN');
    // Counted up front: a refusal ends the transaction with a ROLLBACK, also one round trip.
    const result = await this.inner.transaction((tx) => fn(new CountingHandle(tx, this.log)));
    this.log.push(nested ? 'RELEASE SAVEPOINT' : 'COMMIT');
    return result;
  }

  listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten> {
    return this.inner.listen(channel, handler, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Wraps a `Db` so every statement sent through it is logged: what a test or benchmark counts to
 * bound the round trips an operation makes, whichever backend is underneath.
 */
export function countStatements(db: Db): { db: Db; log: StatementLog } {
  const statements: string[] = [];
  return {
    db: new CountingHandle(db, statements),
    log: {
      statements,
      clear: () => void statements.splice(0, statements.length),
    },
  };
}
