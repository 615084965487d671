import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after-ms.js';

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    const now = Date.parse('2026-03-02T15:00:00Z');
    expect(retryAfterMs('Mon, 02 Mar 2026 15:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Mon, 02 Mar 2026 14:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
