import { Worker } from 'node:worker_threads';
import type { DatabaseAddress } from './database-address.js';
import { withSavepoint, type Db, type ListenOptions, type QueryResult, type Unlisten } from './db.js';
import {
  deserializeError,
  type PgliteWorkerMessage,
  type PgliteWorkerOptions,
  type PgliteWorkerRequest,
} from './pglite-worker-protocol.js';

type Request = PgliteWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The worker thread and the requests waiting for its answer. */
class WorkerLink {
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<number, (payload: string) => void>();
  #gone: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: PgliteWorkerMessage) => {
      if (m.kind === 'notify') this.#listeners.get(m.listener)?.(m.payload);
      else if (m.kind === 'result' || m.kind === 'error') {
        const waiting = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.kind === 'result') waiting?.resolve(m.value);
        else waiting?.reject(deserializeError(m.error));
      }
    });
    const fail = (err: Error) => {
      this.#gone ??= err;
      for (const waiting of this.#pending.values()) waiting.reject(err);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the PGlite worker thread exited (code ${code})`)));
  }

  call<T>(request: Request): Promise<T> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = ++this.#nextId;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  onNotify(listener: number, handler: ((payload: string) => void) | undefined): void {
    if (handler) this.#listeners.set(listener, handler);
    else this.#listeners.delete(listener);
  }
}

class WorkerPgliteHandle implements Db {
  readonly kind = 'pglite' as const;
  #closed: Promise<void> | undefined;

  constructor(
    private readonly link: WorkerLink,
    private readonly tx?: number,
  ) {}

  get inTransaction(): boolean {
    return this.tx !== undefined;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.link.call<QueryResult<T>>({ op: 'query', sql, params, ...(this.tx === undefined ? {} : { tx: this.tx }) });
  }

  async exec(sql: string): Promise<void> {
    await this.link.call({ op: 'exec', sql, ...(this.tx === undefined ? {} : { tx: this.tx }) });
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.tx !== undefined) return withSavepoint(this, fn);
    // PGlite is one connection: the worker holds its transaction lock until commit or rollback, so concurrent callers queue.
    const tx = await this.link.call<number>({ op: 'begin' });
    let result: T;
    try {
      result = await fn(new WorkerPgliteHandle(this.link, tx));
    } catch (err) {
      await this.link.call({ op: 'rollback', tx });
      throw err;
    }
    await this.link.call({ op: 'commit', tx });
    return result;
  }

  // One connection that never drops: LISTEN takes effect at once and stays.
  async listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten> {
    const listener = await this.link.call<number>({ op: 'listen', channel });
    this.link.onNotify(listener, handler);
    options?.onListening?.();
    return async () => {
      this.link.onNotify(listener, undefined);
      await this.link.call({ op: 'unlisten', listener }).catch(() => undefined);
    };
  }

  close(): Promise<void> {
    if (this.tx !== undefined) return Promise.resolve();
    this.#closed ??= (async () => {
      await this.link.call({ op: 'close' }).catch(() => undefined);
      await this.link.worker.terminate();
    })();
    return this.#closed;
  }
}

export interface PgliteWorkerDb extends Db {
  /** Where other orderops processes reach the database, when it was opened with `shareIn`. */
  readonly socket?: DatabaseAddress;
}

/**
 * A `Db` over embedded PGlite running in a worker thread of its own: PGlite's queries are
 * synchronous WebAssembly, and on the app's thread they would hold up every HTTP answer (Slack's
 * acks among them) for as long as they run. The same semantics as createPgliteDb: one
 * connection, transactions one at a time, LISTEN in-process.
 */
export async function createPgliteWorkerDb(options: PgliteWorkerOptions = {}): Promise<PgliteWorkerDb> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: options });
  const ready = await new Promise<Extract<PgliteWorkerMessage, { kind: 'ready' }>>((resolve, reject) => {
    const onMessage = (m: PgliteWorkerMessage) => {
      if (m.kind === 'ready') resolve(m);
      else if (m.kind === 'failed') reject(deserializeError(m.error));
      else return;
      worker.off('message', onMessage);
      worker.off('error', reject);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  const db = new WorkerPgliteHandle(new WorkerLink(worker));
  return Object.assign(db, ready.socket ? { socket: ready.socket } : {});
}
