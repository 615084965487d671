import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { acquireDataDirLock, DataDirLockedError, type DataDirHolder } from './data-dir-lock.js';
import { socketFileOf, type DatabaseAddress } from './database-address.js';
import type { Db, ListenOptions } from './db.js';
import { openDb } from './open-db.js';
import { createPgliteDb } from './pglite-db.js';
import { createPgliteWorkerDb } from './pglite-worker-db.js';
import { createPostgresDb } from './postgres-db.js';
import { servePgliteSocket, socketConnectionString, type PgliteSocket } from './serve-pglite-socket.js';

const CONNECT_TIMEOUT_MS = 5_000;

/** How the server names itself in DATA_DIR's lock. */
export const SERVER_COMMAND = 'orderops serve';

export interface OpenSharedDbOptions {
  /** What this process runs, recorded in the lock for whoever finds DATA_DIR taken (`orderops serve`). */
  command: string;
  /** Serve the embedded database to other orderops processes while this one owns it (the server). */
  share?: boolean;
  /** When another process owns DATA_DIR and shares its database, use it through that process (CLI commands). */
  joinOwner?: boolean;
  /**
   * Run PGlite in a worker thread of its own (the server): its queries are synchronous
   * WebAssembly, and on this thread they would hold up every HTTP answer while they run.
   */
  ownThread?: boolean;
  log?: (line: string) => void;
}

/**
 * Opens the configured database for one orderops process. PostgreSQL (DATABASE_URL) serves any
 * number of processes by itself. Embedded PGlite is single-process, so the directory is locked
 * for as long as the returned Db is open: the owner opens PGlite, and with `share` serves it on a
 * Unix socket only this user may open (inside DATA_DIR, or a private temporary directory when that
 * path is too long); a process that finds DATA_DIR owned either talks to the owner's socket
 * (`joinOwner`) through `pg`, or gets DataDirLockedError naming the owner's pid.
 */
export async function openSharedDb(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'> & Partial<Pick<Config, 'DATABASE_PREPARED_STATEMENTS'>>, options: OpenSharedDbOptions): Promise<Db> {
  if (config.DATABASE_URL) return openDb(config);
  let lock;
  try {
    lock = await acquireDataDirLock(config.DATA_DIR, options.command, { log: options.log });
  } catch (err) {
    if (err instanceof DataDirLockedError && options.joinOwner) return joinOwner(err);
    throw err;
  }
  let db: Db | undefined;
  let socket: PgliteSocket | undefined;
  try {
    const dataDir = join(config.DATA_DIR, 'pglite');
    let address: DatabaseAddress | undefined;
    if (options.ownThread) {
      const threaded = await createPgliteWorkerDb({ dataDir, ...(options.share ? { shareIn: config.DATA_DIR } : {}) });
      db = threaded;
      address = threaded.socket;
    } else {
      db = await createPgliteDb({ dataDir });
      if (options.share) {
        socket = await servePgliteSocket(db, config.DATA_DIR);
        address = socket.address;
      }
    }
    if (address) {
      lock.advertise(address);
      options.log?.(`database shared with orderops commands on ${socketFileOf(address)}`);
    }
    const owned = db;
    return new ClosingDb(owned, async () => {
      try {
        await socket?.stop();
        await owned.close();
      } finally {
        lock.release();
      }
    });
  } catch (err) {
    await socket?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
}

async function joinOwner(locked: DataDirLockedError): Promise<Db> {
  const { holder, dataDir } = locked;
  if (!holder.database) {
    throw new DataDirLockedError(
      dataDir,
      holder,
      isServer(holder)
        ? 'it does not share its database yet; try again once it has started'
        : 'it does not share its database; wait for it to finish, or start the server (npm start), through which several commands can share it',
    );
  }
  const db = createPostgresDb(socketConnectionString(holder.database), { max: 2, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, preparedStatements: false });
  try {
    await db.query('SELECT 1');
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new DataDirLockedError(
      dataDir,
      holder,
      `its database on ${socketFileOf(holder.database)} does not answer (${(err as Error).message}); stop that process, or wait until it answers`,
    );
  }
}

function isServer(holder: DataDirHolder): boolean {
  return holder.command === SERVER_COMMAND;
}

/** The owner's Db, whose close also stops sharing it and gives DATA_DIR up. */
class ClosingDb implements Db {
  #closed: Promise<void> | undefined;

  constructor(
    private readonly inner: Db,
    private readonly closeAll: () => Promise<void>,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get inTransaction() {
    return this.inner.inTransaction;
  }

  query<T>(sql: string, params?: unknown[]) {
    return this.inner.query<T>(sql, params);
  }

  exec(sql: string) {
    return this.inner.exec(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>) {
    return this.inner.transaction(fn);
  }

  listen(channel: string, handler: (payload: string) => void, options?: ListenOptions) {
    return this.inner.listen(channel, handler, options);
  }

  close() {
    this.#closed ??= this.closeAll();
    return this.#closed;
  }
}
