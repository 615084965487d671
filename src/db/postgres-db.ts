import pg from 'pg';
import { withSavepoint, type Db, type ListenOptions, type QueryResult, type Unlisten } from './db.js';
import { listenOnPool } from './listen-on-pool.js';
import { isPreparedStatementFault, isPreparedStatementMismatch, PreparedStatementNames } from './prepared-statement-names.js';

const INT8_OID = 20;

function typeParsers(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

type Queryable = pg.Pool | pg.PoolClient;

class PgHandle implements Db {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly target: Queryable,
    readonly inTransaction: boolean,
    private readonly pool: pg.Pool,
    private readonly listeners: Set<Unlisten>,
    private readonly statements: PreparedStatementNames,
    private readonly onClose?: () => Promise<void>,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    let result: pg.QueryResult;
    try {
      result = await this.run(sql, params);
    } catch (err) {
      if (!isPreparedStatementFault(err)) throw err;
      this.statements.renew();
      // Inside a transaction the error has aborted it; transaction() runs it once more, afresh.
      if (this.inTransaction) throw err;
      result = await this.run(sql, params);
    }
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }

  private run(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    const name = params.length > 0 ? this.statements.nameFor(sql) : undefined;
    return name ? this.target.query({ name, text: sql, values: params }) : this.target.query(sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.target.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return withSavepoint(this, fn);
    try {
      return await this.transactionOnce(fn);
    } catch (err) {
      // A statement's name went stale under this transaction (a migration ran, or the session lost
      // it): the names are renewed, so one more run prepares everything afresh.
      if (!isPreparedStatementFault(err)) throw err;
      return this.transactionOnce(fn);
    }
  }

  private async transactionOnce<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose connection dies between queries (a server shutdown sends 57P01)
    // emits 'error'; unheard, that ends the process. Heard, the next query fails and the client
    // is destroyed on release instead of going back to the pool.
    let broken: Error | undefined;
    const onError = (err: Error) => void (broken = err);
    client.on('error', onError);
    const tx = new PgHandle(client, true, this.pool, this.listeners, this.statements);
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The client's record of what its session has prepared is wrong: a new connection starts clean.
      if (isPreparedStatementMismatch(err)) broken ??= err as Error;
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten> {
    const stop = await listenOnPool(this.pool, channel, handler, options);
    const unlisten = async () => {
      this.listeners.delete(unlisten);
      await stop();
    };
    this.listeners.add(unlisten);
    return unlisten;
  }

  async close(): Promise<void> {
    if (this.inTransaction) return;
    // The pool ends only once every client is back, the listening ones included.
    for (const unlisten of [...this.listeners]) await unlisten();
    await this.pool.end();
    await this.onClose?.();
  }
}

/**
 * How long a request waits for a pooled connection before it fails (and the API answers 503):
 * without a bound, a request made while PostgreSQL is unreachable would hang.
 */
const CONNECTION_TIMEOUT_MS = 3_000;

/** A `Db` over a `pg` connection pool. */
export function createPostgresDb(
  connectionString: string,
  options: {
    max?: number;
    onClose?: () => Promise<void>;
    connectionTimeoutMillis?: number;
    /**
     * Named prepared statements for hot statements (default on). Off where several connections
     * share one server session, as through a pooler in transaction mode or the PGlite socket:
     * there a statement prepared by one connection already exists for the next.
     */
    preparedStatements?: boolean;
  } = {},
): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: typeParsers(),
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? CONNECTION_TIMEOUT_MS,
  });
  // An idle client that loses its connection emits here; without a listener the process dies.
  pool.on('error', () => undefined);
  const statements = new PreparedStatementNames(options.preparedStatements === false ? { maxNames: 0 } : {});
  return new PgHandle(pool, false, pool, new Set(), statements, options.onClose);
}
