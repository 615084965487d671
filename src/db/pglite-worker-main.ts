import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { createPgliteDb, pgliteOf } from './pglite-db.js';
import { serializeError, type PgliteWorkerMessage, type PgliteWorkerOptions, type PgliteWorkerRequest } from './pglite-worker-protocol.js';
import { servePgliteSocket, type PgliteSocket } from './serve-pglite-socket.js';

/**
 * The PGlite worker thread: owns the embedded database, answers the app thread's requests
 * (see PgliteWorkerDb) and, when asked, serves the database on a socket to other orderops
 * processes, so PGlite's work never blocks the event loop that answers HTTP.
 */
const port = parentPort!;
const options = workerData as PgliteWorkerOptions;
const post = (message: PgliteWorkerMessage) => port.postMessage(message);

interface OpenTransaction {
  tx: Transaction;
  finish: (commit: boolean) => void;
  done: Promise<unknown>;
}

let pglite: PGlite;
let socket: PgliteSocket | undefined;
const transactions = new Map<number, OpenTransaction>();
const listeners = new Map<number, () => Promise<void>>();
let nextId = 0;

const ROLLBACK = Symbol('rollback');

async function begin(): Promise<number> {
  const id = ++nextId;
  await new Promise<void>((started) => {
    const done = pglite.transaction(
      (tx) =>
        new Promise<void>((resolve, reject) => {
          transactions.set(id, { tx, finish: (commit) => (commit ? resolve() : reject(ROLLBACK)), done });
          started();
        }),
    );
    // Kept so commit can report a failed COMMIT; a rollback's own rejection is expected.
    done.catch(() => undefined);
  });
  return id;
}

async function finish(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  if (!open) throw new Error(`no open transaction ${id}`);
  transactions.delete(id);
  open.finish(commit);
  try {
    await open.done;
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
}

const target = (tx: number | undefined) => {
  if (tx === undefined) return pglite;
  const open = transactions.get(tx);
  if (!open) throw new Error(`no open transaction ${tx}`);
  return open.tx;
};

async function handle(req: PgliteWorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'query': {
      const result = await target(req.tx).query(req.sql, req.params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    }
    case 'exec':
      await target(req.tx).exec(req.sql);
      return undefined;
    case 'begin':
      return begin();
    case 'commit':
      return finish(req.tx, true);
    case 'rollback':
      return finish(req.tx, false);
    case 'listen': {
      const id = ++nextId;
      listeners.set(id, await pglite.listen(req.channel, (payload) => post({ kind: 'notify', listener: id, payload })));
      return id;
    }
    case 'unlisten': {
      const unlisten = listeners.get(req.listener);
      listeners.delete(req.listener);
      if (unlisten && !pglite.closed) await unlisten();
      return undefined;
    }
    case 'close':
      await socket?.stop();
      if (!pglite.closed) await pglite.close();
      port.close();
      return undefined;
  }
}

try {
  const db = await createPgliteDb(options.dataDir ? { dataDir: options.dataDir } : {});
  pglite = pgliteOf(db);
  if (options.shareIn) socket = await servePgliteSocket(db, options.shareIn);
  port.on('message', (req: PgliteWorkerRequest) => {
    handle(req).then(
      (value) => post({ kind: 'result', id: req.id, value }),
      (err: unknown) => post({ kind: 'error', id: req.id, error: serializeError(err) }),
    );
  });
  post({ kind: 'ready', ...(socket ? { socket: socket.address } : {}) });
} catch (err) {
  post({ kind: 'failed', error: serializeError(err) });
}
