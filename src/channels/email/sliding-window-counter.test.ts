import { describe, expect, it } from 'vitest';
import { createSlidingWindowCounter } from './sliding-window-counter.js';

describe('createSlidingWindowCounter', () => {
  it('allows `limit` events per key in any window, and again once old ones age out', () => {
    const counter = createSlidingWindowCounter({ limit: 2, windowMs: 1000 });
    expect([counter.hit('a', 0), counter.hit('a', 100), counter.hit('a', 200)]).toEqual([true, true, false]);
    expect(counter.hit('b', 200)).toBe(true);
    expect(counter.hit('a', 1001)).toBe(true);
    expect(counter.hit('a', 1050)).toBe(false);
    expect(counter.hit('a', 1101)).toBe(true);
  });

  it('is off at 0', () => {
    const counter = createSlidingWindowCounter({ limit: 0, windowMs: 1000 });
    expect(Array.from({ length: 10 }, () => counter.hit('a', 0)).every(Boolean)).toBe(true);
  });

  it('tracks a bounded number of keys, forgetting the quiet ones first', () => {
    const counter = createSlidingWindowCounter({ limit: 1, windowMs: 1000, maxKeys: 2 });
    expect(counter.hit('old', 0)).toBe(true);
    expect(counter.hit('busy', 10)).toBe(true);
    expect(counter.hit('new', 20)).toBe(true);
    expect(counter.hit('busy', 30)).toBe(false);
    expect(counter.hit('old', 40)).toBe(true);
  });
});
