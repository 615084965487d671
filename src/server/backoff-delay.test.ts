import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff-delay.js';

const options = { firstDelayMs: 1_000, maxDelayMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const top = (failures: number) => backoffDelay(failures, options, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(top)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('takes a random part of up to half off each wait', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(2_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(3_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(10, options)));
    expect(spread.size).toBeGreaterThan(1);
    for (const d of spread) {
      expect(d).toBeGreaterThanOrEqual(30_000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });
});
