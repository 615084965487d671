import type pg from 'pg';
import type { ListenOptions, Unlisten } from './db.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 15_000;

/**
 * LISTEN for `Db.listen` on PostgreSQL. A notification reaches only the session that listens, so
 * the listener holds one client out of `pool` for as long as it listens (the pool serves queries
 * with one connection fewer). When that connection fails (server restart, failover,
 * pg_terminate_backend, a network cut), the client is destroyed, the failure is reported through
 * `onError`, and a new client is taken with doubling waits up to MAX_RETRY_MS, for as long as it
 * takes: the process keeps serving, and only the notifications sent while no LISTEN was in place
 * are lost. `onListening` tells the caller each time it listens again.
 */
export async function listenOnPool(
  pool: pg.Pool,
  channel: string,
  handler: (payload: string) => void,
  options: ListenOptions = {},
): Promise<Unlisten> {
  let releaseCurrent: (() => void) | undefined;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const onNotification = (message: pg.Notification) => {
    if (message.channel === channel) handler(message.payload ?? '');
  };

  const retryLater = (error: Error) => {
    if (stopped) return;
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    failures += 1;
    options.onError?.(error, wait);
    timer = setTimeout(() => void attempt(), wait);
    timer.unref();
  };

  async function attempt(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return retryLater(err as Error);
    }
    let released = false;
    // Released with an error (or true), the pool destroys the client instead of lending out a
    // broken one, or one that still listens.
    const release = (error: Error | true) => {
      if (released) return false;
      released = true;
      client.removeListener('notification', onNotification);
      if (releaseCurrent === releaseThis) releaseCurrent = undefined;
      client.release(error);
      return true;
    };
    const releaseThis = () => void release(true);
    const drop = (error: Error) => {
      if (release(error)) retryLater(error);
    };
    // A checked-out client that loses its connection emits 'error'; unheard, it would end the process.
    client.on('error', drop);
    client.on('end', () => drop(new Error(`the connection listening on ${channel} ended`)));
    client.on('notification', onNotification);
    try {
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (err) {
      return drop(err as Error);
    }
    if (released) return;
    if (stopped) return releaseThis();
    releaseCurrent = releaseThis;
    failures = 0;
    options.onListening?.();
  }

  await attempt();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    releaseCurrent?.();
  };
}
