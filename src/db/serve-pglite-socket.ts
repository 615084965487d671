import { chmodSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { socketFileOf, type DatabaseAddress } from './database-address.js';
import type { Db } from './db.js';
import { pgliteOf } from './pglite-db.js';
import { SocketSessionQueue } from './socket-session-queue.js';

// The file name a `pg` client looks for in a Unix-socket "host" directory is .s.PGSQL.<port>.
const SOCKET_PORT = 5432;
// sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
const MAX_SOCKET_PATH_BYTES = 103;
const MAX_CONNECTIONS = 32;
// A client silent this long is disconnected (and its open transaction rolled back), so a stuck
// command cannot hold the server's database for good.
const IDLE_TIMEOUT_MS = 60_000;

/** A PGlite served to other orderops processes. */
export interface PgliteSocket {
  /** Where `pg` connects: the directory of the Unix socket (the data directory, or a private temporary one). */
  readonly address: DatabaseAddress;
  /** Disconnects every client (rolling back what they left open) and stops listening. */
  stop(): Promise<void>;
}

/**
 * Serves the embedded database `db` to other orderops processes, so that they use the same `pg`
 * code path as with PostgreSQL and their writes land in this process's database. Listens on a
 * Unix socket (mode 0600) inside `dataDir`, or, when that path is too long for a socket, inside a
 * new 0700 directory under the system's temporary directory, removed at stop. Nothing listens on
 * the network: pglite-socket checks no credentials, so only this user may reach the socket. Each
 * connection's transaction excludes this process's own queries and the other connections' (see
 * SocketSessionQueue).
 */
export async function servePgliteSocket(db: Db, dataDir: string): Promise<PgliteSocket> {
  const pglite = pgliteOf(db);
  await pglite.waitReady;
  const queue = new SocketSessionQueue(pglite);
  const handlers = new Set<PGLiteSocketHandler>();
  const dir = resolve(dataDir);
  const privateDir = fitsSocketPath(dir) ? undefined : await createPrivateSocketDir(dir);
  const address: DatabaseAddress = { host: privateDir ?? dir, port: SOCKET_PORT };
  const socketPath = socketFileOf(address);

  const server = createServer((socket) => void accept(socket));
  const accept = async (socket: Socket) => {
    if (handlers.size >= MAX_CONNECTIONS) {
      socket.end(errorResponse('53300', `too many connections to the orderops database (${MAX_CONNECTIONS})`));
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue, clearQueueForHandler and clearTransactionIfNeeded.
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
      idleTimeout: IDLE_TIMEOUT_MS,
    });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    await handler.attach(socket);
  };

  const removeSocket = () => {
    rmSync(socketPath, { force: true });
    if (privateDir) rmSync(privateDir, { recursive: true, force: true });
  };
  try {
    // Left behind by a process that died; this one holds the data directory's lock, so it is ours to replace.
    rmSync(socketPath, { force: true });
    await listen(server, socketPath);
    chmodSync(socketPath, 0o600);
  } catch (err) {
    removeSocket();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    address,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        await Promise.all([...handlers].map((h) => h.detach(true)));
        handlers.clear();
        await closed;
        removeSocket();
      })();
      return stopped;
    },
  };
}

/** A `pg` connection string for a database served by servePgliteSocket. */
export function socketConnectionString(address: DatabaseAddress): string {
  return `postgresql://postgres@localhost:${address.port}/postgres?host=${encodeURIComponent(address.host)}&sslmode=disable`;
}

function fitsSocketPath(dir: string): boolean {
  return Buffer.byteLength(socketFileOf({ host: dir, port: SOCKET_PORT })) <= MAX_SOCKET_PATH_BYTES;
}

/** A fresh directory only this user may enter (mkdtemp creates it 0700), short enough for the socket. */
async function createPrivateSocketDir(dataDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orderops-'));
  if (fitsSocketPath(dir)) return dir;
  rmSync(dir, { recursive: true, force: true });
  throw new Error(
    `DATA_DIR ${dataDir} and the temporary directory ${tmpdir()} are both too long a path for the database socket ` +
      `(at most ${MAX_SOCKET_PATH_BYTES} bytes with "/.s.PGSQL.${SOCKET_PORT}"); use a shorter DATA_DIR or TMPDIR`,
  );
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ path }, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

/** A PostgreSQL ErrorResponse, which `pg` reports as the connection's error. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}
