import { isDatabaseUnavailable } from './database-unavailable.js';

export interface RetryWhileUnavailableOptions {
  /** Give up (rethrow) once this much time has passed; default 45 s. */
  withinMs?: number;
  /** First wait between tries, doubled up to 5 s; default 250 ms. */
  firstWaitMs?: number;
}

/**
 * Runs `write` again while the database is out of reach, for the record of an outside effect that
 * already happened. Once a mail has gone out or a label is bought, failing the job would make its
 * retry do the effect again; waiting out a database restart here records it once instead. Any
 * other error, or an outage longer than `withinMs`, is thrown as it came.
 */
export async function retryWhileDatabaseUnavailable<T>(write: () => Promise<T>, options: RetryWhileUnavailableOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.withinMs ?? 45_000);
  let wait = options.firstWaitMs ?? 250;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + wait > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 5_000);
    }
  }
}
