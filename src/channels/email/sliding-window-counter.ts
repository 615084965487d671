/** Counts events per key over a rolling window, in memory. */
export interface SlidingWindowCounter {
  /** Counts one event for `key` and says whether it is within the limit; one over it is not counted. */
  hit(key: string, now?: number): boolean;
}

/**
 * A rolling-window limit per key (`limit` events per `windowMs`; 0 turns it off). At most
 * `maxKeys` keys are tracked: past that the quiet ones are forgotten first, so a spray of
 * addresses costs bounded memory (and a forgotten key merely starts again from zero).
 */
export function createSlidingWindowCounter(options: { limit: number; windowMs: number; maxKeys?: number }): SlidingWindowCounter {
  const maxKeys = options.maxKeys ?? 50_000;
  const events = new Map<string, number[]>();

  function sweep(now: number): void {
    for (const [key, times] of events) {
      if ((times.at(-1) ?? 0) <= now - options.windowMs) events.delete(key);
    }
    for (const key of events.keys()) {
      if (events.size <= maxKeys) break;
      events.delete(key);
    }
  }

  return {
    hit(key, now = Date.now()) {
      if (options.limit <= 0) return true;
      const since = now - options.windowMs;
      const times = (events.get(key) ?? []).filter((t) => t > since);
      if (times.length >= options.limit) {
        events.set(key, times);
        return false;
      }
      times.push(now);
      // Re-inserted keys move to the end, so the sweep forgets the longest-quiet ones first.
      events.delete(key);
      events.set(key, times);
      if (events.size > maxKeys) sweep(now);
      return true;
    },
  };
}
