import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { withSavepoint, type Db, type ListenOptions, type QueryResult, type Unlisten } from './db.js';

type Target = PGlite | Transaction;

class PgliteHandle implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly target: Target,
    readonly inTransaction: boolean,
    private readonly root: PGlite,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    const result = await this.target.query<T>(sql, params);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  async exec(sql: string): Promise<void> {
    await this.target.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return withSavepoint(this, fn);
    // PGlite is one connection: its transaction() holds a lock, so concurrent callers queue.
    return this.root.transaction((tx) => fn(new PgliteHandle(tx, true, this.root)));
  }

  // One in-process connection that never drops: LISTEN takes effect at once and stays.
  async listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten> {
    const unlisten = await this.root.listen(channel, handler);
    options?.onListening?.();
    return async () => {
      if (!this.root.closed) await unlisten();
    };
  }

  async close(): Promise<void> {
    if (!this.inTransaction) await this.root.close();
  }
}

export interface PgliteOptions {
  /** Directory for the data files; in memory when omitted. */
  dataDir?: string;
  /** A data directory dump (from `dumpDataDir`) to start from, which skips initdb. */
  loadDataDir?: Blob | File;
}

/** A `Db` over embedded PGlite, with the `vector` extension loaded. */
export async function createPgliteDb(options: PgliteOptions = {}): Promise<Db> {
  // Customers' data: readable by this user only (PGlite itself creates what it writes with the umask's modes).
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { vector },
  });
  await pglite.waitReady;
  return new PgliteHandle(pglite, false, pglite);
}

/** The underlying PGlite, for dumping a data directory (tests build a template this way). */
export function pgliteOf(db: Db): PGlite {
  if (!(db instanceof PgliteHandle)) throw new Error('not a PGlite database');
  return (db as unknown as { root: PGlite }).root;
}
