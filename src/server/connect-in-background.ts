import { backoffDelay, type BackoffOptions } from './backoff-delay.js';
import type { DependencyHealth } from './health-registry.js';

export interface ConnectInBackgroundOptions {
  /** One try to connect; it must give up by itself (a request timeout) rather than hang. */
  attempt: () => Promise<void>;
  retry: BackoffOptions;
  /** Told of every failure and when the next try is. */
  onFailure?: (error: Error, nextAttemptInMs: number) => void;
  random?: () => number;
}

/**
 * A connection to an outside service that start-up does not wait for: `start()` returns at once,
 * attempts run in the background until one succeeds, with capped, jittered backoff between them.
 * Once connected it stays ready; staying connected is the client's own business.
 */
export interface BackgroundConnection {
  start(): void;
  health(): DependencyHealth;
  /** Resolves once an attempt has succeeded. */
  whenReady(): Promise<void>;
  /** Cancels a pending retry; an attempt under way finishes but changes nothing. */
  stop(): void;
}

export function connectInBackground(options: ConnectInBackgroundOptions): BackgroundConnection {
  let state: DependencyHealth = { state: 'connecting', lastError: null, nextAttemptAt: null };
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function run(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    state = { ...state, nextAttemptAt: null };
    try {
      await options.attempt();
      if (stopped) return;
      state = { state: 'ready', lastError: null, nextAttemptAt: null };
      markReady();
    } catch (err) {
      if (stopped) return;
      failures += 1;
      const error = err instanceof Error ? err : new Error(String(err));
      const delay = backoffDelay(failures, options.retry, options.random);
      state = { state: 'failing', lastError: error.message, nextAttemptAt: new Date(Date.now() + delay).toISOString() };
      options.onFailure?.(error, delay);
      timer = setTimeout(() => void run(), delay);
      // A retry alone must not keep a stopping process alive.
      timer.unref();
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      void run();
    },
    health: () => ({ ...state }),
    whenReady: () => ready,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
