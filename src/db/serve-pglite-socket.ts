import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { DatabaseAddress } from './data-dir-lock.js';
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
  /** Where `pg` connects: the data directory (Unix socket) or 127.0.0.1 (TCP). */
  readonly address: DatabaseAddress;
  /** Disconnects every client (rolling back what they left open) and stops listening. */
  stop(): Promise<void>;
}

/**
 * Serves the embedded database `db` to other orderops processes, so that they use the same `pg`
 * code path as with PostgreSQL and their writes land in this process's database. Listens on a
 * Unix socket inside `dataDir` that only this user may open, so nothing listens on the network;
 * only when that path is too long for a socket does it fall back to TCP on 127.0.0.1. Each
 * connection's transaction excludes this process's own queries and the other connections' (see
 * SocketSessionQueue).
 */
export async function servePgliteSocket(db: Db, dataDir: string): Promise<PgliteSocket> {
  const pglite = pgliteOf(db);
  await pglite.waitReady;
  const queue = new SocketSessionQueue(pglite);
  const handlers = new Set<PGLiteSocketHandler>();
  const dir = resolve(dataDir);
  const socketPath = join(dir, `.s.PGSQL.${SOCKET_PORT}`);
  const useUnixSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES;

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

  if (useUnixSocket) {
    // Left behind by a process that died; this one holds the data directory's lock, so it is ours to replace.
    rmSync(socketPath, { force: true });
    await listen(server, { path: socketPath });
    chmodSync(socketPath, 0o600);
  } else {
    await listen(server, { host: '127.0.0.1', port: 0 });
  }
  const bound = server.address();
  const address: DatabaseAddress = useUnixSocket
    ? { host: dir, port: SOCKET_PORT }
    : { host: '127.0.0.1', port: typeof bound === 'object' && bound ? bound.port : 0 };

  let stopped: Promise<void> | undefined;
  return {
    address,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        await Promise.all([...handlers].map((h) => h.detach(true)));
        handlers.clear();
        await closed;
        if (useUnixSocket) rmSync(socketPath, { force: true });
      })();
      return stopped;
    },
  };
}

/** A `pg` connection string for a database served by servePgliteSocket. */
export function socketConnectionString(address: DatabaseAddress): string {
  const sslOff = 'sslmode=disable';
  return address.host.startsWith('/')
    ? `postgresql://postgres@localhost:${address.port}/postgres?host=${encodeURIComponent(address.host)}&${sslOff}`
    : `postgresql://postgres@${address.host}:${address.port}/postgres?${sslOff}`;
}

function listen(server: Server, options: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
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
