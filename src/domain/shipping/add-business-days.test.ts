import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './add-business-days.js';

describe('addBusinessDays', () => {
  it('skips weekends and keeps the time of day', () => {
    expect(addBusinessDays(new Date('2026-03-02T15:00:00Z'), 2).toISOString()).toBe('2026-03-04T15:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-06T15:00:00Z'), 2).toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-07T09:00:00Z'), 1).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-02T15:00:00Z'), 0).toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });

  it("counts weekdays in the location's time zone: Friday evening in Los Angeles is Saturday in UTC", () => {
    // Friday 2026-03-06 18:00 PST; the clocks go forward on Sunday, so Monday 18:00 is PDT.
    const fridayEvening = new Date('2026-03-07T02:00:00Z');
    expect(addBusinessDays(fridayEvening, 1, 'America/Los_Angeles').toISOString()).toBe('2026-03-10T01:00:00.000Z');
    expect(addBusinessDays(fridayEvening, 1).toISOString()).toBe('2026-03-09T02:00:00.000Z');
    // Monday 2026-03-09 09:00 in Tokyo is still Sunday in UTC.
    expect(addBusinessDays(new Date('2026-03-09T00:00:00Z'), 1, 'Asia/Tokyo').toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });
});
