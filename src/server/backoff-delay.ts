export interface BackoffOptions {
  /** Wait before the second attempt; each later wait doubles. */
  firstDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

/**
 * The wait before attempt `failures + 1`, after `failures` failed attempts: doubling from
 * `firstDelayMs` up to `maxDelayMs`, then a random half of it taken off, so many instances
 * restarted together do not retry in step, and no wait is shorter than half the nominal one.
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const nominal = Math.min(options.maxDelayMs, options.firstDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
