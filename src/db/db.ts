/** A row set as both drivers return it. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * The one database handle every repository and service takes. Both implementations (a `pg` pool
 * and embedded PGlite) return NUMERIC as strings, INT8 as numbers, JSONB parsed and arrays as
 * arrays, so code above this line never knows which one it talks to.
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite';
  /** Runs one statement with `$1` parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction and commits when it resolves, rolls back when it throws.
   * Called on a handle that is already in a transaction, it opens a savepoint instead, so a
   * service can be atomic on its own and still compose into a caller's transaction.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** True when this handle is inside a transaction. */
  readonly inTransaction: boolean;
  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` (from any connection, this
   * process's own included) until the returned function is called. Resolves once the first LISTEN
   * has been tried; a failure there, or a dropped connection later, is retried in the background
   * and never rejects or crashes. Notifications sent while not listening are lost (NOTIFY keeps no
   * history), so a subscriber that needs every change re-reads state on `onListening`. `handler`
   * runs inside the driver's message loop: it must not throw, and long work belongs elsewhere.
   */
  listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Called each time LISTEN takes effect: at first, and again after every reconnect. */
  onListening?: () => void;
  /** Called when LISTEN fails or its connection drops, with the wait before the next try. */
  onError?: (error: Error, retryInMs: number) => void;
}

/** Stops a `listen`: no handler call after it resolves. */
export type Unlisten = () => Promise<void>;

let savepointCounter = 0;

/** Savepoint-based nesting shared by both implementations. */
export async function withSavepoint<T>(tx: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `sp_${++savepointCounter}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}
