import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './add-business-days.js';

describe('addBusinessDays', () => {
  it('skips weekends and keeps the time of day', () => {
    expect(addBusinessDays(new Date('2026-03-02T15:00:00Z'), 2).toISOString()).toBe('2026-03-04T15:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-06T15:00:00Z'), 2).toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-07T09:00:00Z'), 1).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-02T15:00:00Z'), 0).toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });
});
