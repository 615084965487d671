import { describe, expect, it } from 'vitest';
import { promisedDeliveryDate } from './promised-delivery-date.js';

const NY = { cutoffTime: '14:00', timeZone: 'America/New_York' };

describe('promisedDeliveryDate', () => {
  it('takes an order in on the day when it arrives before the cut-off, in the location time zone', () => {
    // Tuesday 2026-03-03 13:30 in New York (18:30 UTC).
    const p = promisedDeliveryDate({ now: new Date('2026-03-03T18:30:00Z'), ...NY, handlingDays: 1, transitDays: 2 });
    expect(p).toMatchObject({ shipsOn: '2026-03-03', deliversOn: '2026-03-05', afterCutoff: false });
    expect(p.promisedAt.toISOString()).toBe('2026-03-06T04:59:59.000Z');
  });

  it('moves an order after the cut-off to the next business day', () => {
    const p = promisedDeliveryDate({ now: new Date('2026-03-03T19:30:00Z'), ...NY, handlingDays: 1, transitDays: 2 });
    expect(p).toMatchObject({ shipsOn: '2026-03-04', deliversOn: '2026-03-06', afterCutoff: true });
  });

  it('reads the cut-off in local time, not UTC: 15:00 UTC is 07:00 in Los Angeles', () => {
    const p = promisedDeliveryDate({ now: new Date('2026-03-03T15:00:00Z'), cutoffTime: '08:00', timeZone: 'America/Los_Angeles', handlingDays: 1, transitDays: 1 });
    expect(p).toMatchObject({ shipsOn: '2026-03-03', deliversOn: '2026-03-04', afterCutoff: false });
  });

  it('skips weekends for intake, handling and transit', () => {
    // Friday 2026-03-06 after the cut-off: taken in Monday, two handling days ship Tuesday, three transit days arrive Friday.
    const p = promisedDeliveryDate({ now: new Date('2026-03-06T20:00:00Z'), ...NY, handlingDays: 2, transitDays: 3 });
    expect(p).toMatchObject({ shipsOn: '2026-03-10', deliversOn: '2026-03-13' });
    // Saturday morning, before the cut-off, is still not a business day.
    const sat = promisedDeliveryDate({ now: new Date('2026-03-07T14:00:00Z'), ...NY, handlingDays: 1, transitDays: 1 });
    expect(sat).toMatchObject({ shipsOn: '2026-03-09', deliversOn: '2026-03-10', afterCutoff: false });
    // Thursday with two transit days crosses the weekend.
    const thu = promisedDeliveryDate({ now: new Date('2026-03-05T15:00:00Z'), ...NY, handlingDays: 1, transitDays: 2 });
    expect(thu.deliversOn).toBe('2026-03-09');
  });
});
