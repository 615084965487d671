import { expect, it } from 'vitest';
import { localDateParts } from './local-date-parts.js';

it('reads the wall clock of each zone asked for, including after another zone was asked', () => {
  const at = new Date('2026-03-08T06:30:15Z');
  expect(localDateParts(at, 'America/New_York')).toEqual({ year: 2026, month: 3, day: 8, hour: 1, minute: 30, second: 15 });
  expect(localDateParts(at, 'Asia/Tokyo')).toEqual({ year: 2026, month: 3, day: 8, hour: 15, minute: 30, second: 15 });
  // An hour later New York has moved to daylight time.
  expect(localDateParts(new Date('2026-03-08T07:30:15Z'), 'America/New_York').hour).toBe(3);
  expect(localDateParts(new Date('2026-12-31T23:00:00Z'), 'UTC')).toMatchObject({ year: 2026, month: 12, day: 31, hour: 23 });
});

it('refuses a zone that is not one, every time', () => {
  expect(() => localDateParts(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  expect(() => localDateParts(new Date(), 'Mars/Olympus')).toThrow(RangeError);
});
