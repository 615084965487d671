import type { PGlite } from '@electric-sql/pglite';
import { BackendIdleTracker } from './backend-idle-tracker.js';

// Messages that end whatever a vanished client left open: an error before Sync aborts a
// half-sent extended-protocol sequence (Sync alone would commit it), then ROLLBACK ends its
// transaction.
const EXECUTE_MISSING_PORTAL = protocolMessage('E', Buffer.concat([cstring('orderops_abandoned'), Buffer.alloc(4)]));
const SYNC = protocolMessage('S', Buffer.alloc(0));
const ROLLBACK = protocolMessage('Q', cstring('ROLLBACK'));

interface Session {
  /** This connection's messages run one after another, in the order they arrived. */
  chain: Promise<unknown>;
  gone: boolean;
  /** Set while this connection owns the backend (from its first message until the backend is idle again). */
  release?: () => void;
}

/**
 * Runs the wire-protocol messages of many socket connections against one PGlite, which is a
 * single backend that the owning process also uses in-process. It implements the queue contract
 * that `PGLiteSocketHandler` of @electric-sql/pglite-socket 0.1.6 calls (enqueue,
 * clearQueueForHandler, clearTransactionIfNeeded) in place of that package's QueryQueueManager:
 * there, each message takes only PGlite's statement mutex, which an in-process transaction
 * releases between its statements, so a socket client's statements landed inside the server's
 * transaction (and the server's inside a client's BEGIN ... COMMIT).
 *
 * Here a connection takes PGlite's transaction mutex, the one its query(), exec() and
 * transaction() wait on, at its first message and keeps it until the backend is idle again
 * (ReadyForQuery `I`: no transaction open, no Parse ... Sync under way). A connection that
 * vanishes while holding it is rolled back and lets go.
 */
export class SocketSessionQueue {
  readonly #pglite: PGlite;
  readonly #tracker = new BackendIdleTracker();
  readonly #sessions = new Map<number, Session>();

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /** Connections currently open. */
  get size(): number {
    return this.#sessions.size;
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const session = this.#session(handlerId);
    const run = session.chain.then(() => this.#run(session, message, onData));
    session.chain = run.catch(() => undefined);
    return run;
  }

  /** The connection is gone: what it sent but did not get to run is dropped. */
  clearQueueForHandler(handlerId: number): void {
    const session = this.#sessions.get(handlerId);
    if (session) session.gone = true;
  }

  /** Called last for a closed connection: ends what it left open, once its running message is done. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const session = this.#sessions.get(handlerId);
    if (!session) return;
    session.gone = true;
    session.chain = session.chain.then(() => this.#abandon(session));
    await session.chain;
    this.#sessions.delete(handlerId);
  }

  async #run(session: Session, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (session.gone) throw new Error('Handler disconnected');
    if (!session.release) session.release = await holdTransactionMutex(this.#pglite);
    let bytes = 0;
    try {
      if (session.gone) throw new Error('Handler disconnected');
      await this.#pglite.runExclusive(() =>
        this.#pglite.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            this.#tracker.feed(data);
            onData(data);
          },
        }),
      );
      return bytes;
    } finally {
      if (this.#tracker.idle) this.#letGo(session);
    }
  }

  async #abandon(session: Session): Promise<void> {
    if (!session.release) return;
    try {
      await this.#pglite.runExclusive(async () => {
        const feed = { onRawData: (data: Uint8Array) => this.#tracker.feed(data) };
        await this.#pglite.execProtocolRawStream(Buffer.concat([EXECUTE_MISSING_PORTAL, SYNC]), feed);
        if (this.#pglite.isInTransaction()) await this.#pglite.execProtocolRawStream(ROLLBACK, feed);
      });
    } catch {
      // The database is closing; nothing is left to roll back into.
    } finally {
      this.#letGo(session);
    }
  }

  #letGo(session: Session): void {
    const release = session.release;
    session.release = undefined;
    release?.();
  }

  #session(handlerId: number): Session {
    let session = this.#sessions.get(handlerId);
    if (!session) {
      session = { chain: Promise.resolve(), gone: false };
      this.#sessions.set(handlerId, session);
    }
    return session;
  }
}

/**
 * Takes PGlite's transaction mutex and resolves with the function that gives it back. PGlite only
 * offers it as run-exclusive-with-a-callback, so the callback waits for the release.
 */
function holdTransactionMutex(pglite: PGlite): Promise<() => void> {
  return new Promise((granted) => {
    void pglite._runExclusiveTransaction(() => new Promise<void>((release) => granted(release)));
  });
}

function protocolMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}
