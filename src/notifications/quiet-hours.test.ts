import { describe, expect, it } from 'vitest';
import { instantAtWallClock, nextSendTime } from './quiet-hours.js';
import type { NotificationSettings } from './workflow.js';

const settings: NotificationSettings = { quiet_hours: { start: '21:00', end: '08:00', channels: ['sms'] } };
const NY = 'America/New_York';

describe('nextSendTime', () => {
  it('sends at once outside the window', () => {
    const at = new Date('2026-03-02T17:00:00Z'); // 12:00 in New York
    expect(nextSendTime(at, 'sms', settings, NY)).toEqual(at);
  });

  it('holds an SMS at 22:00 store time until 08:00 the next morning', () => {
    const at = new Date('2026-03-03T03:00:00Z'); // 22:00 EST on 2 March
    expect(nextSendTime(at, 'sms', settings, NY).toISOString()).toBe('2026-03-03T13:00:00.000Z');
  });

  it('holds one after midnight until 08:00 the same day', () => {
    const at = new Date('2026-03-03T07:30:00Z'); // 02:30 EST
    expect(nextSendTime(at, 'sms', settings, NY).toISOString()).toBe('2026-03-03T13:00:00.000Z');
  });

  it('leaves channels the window does not name alone', () => {
    const at = new Date('2026-03-03T03:00:00Z');
    expect(nextSendTime(at, 'email', settings, NY)).toEqual(at);
  });

  it('ends at 08:00 local across the spring daylight-saving change', () => {
    // 22:00 EST on Saturday 7 March 2026; clocks go forward at 02:00 on Sunday 8 March.
    const at = new Date('2026-03-08T03:00:00Z');
    expect(nextSendTime(at, 'sms', settings, NY).toISOString()).toBe('2026-03-08T12:00:00.000Z'); // 08:00 EDT
  });

  it('ends at 08:00 local across the autumn change', () => {
    const at = new Date('2026-11-01T01:30:00Z'); // 21:30 EDT on 31 October; clocks go back on 1 November
    expect(nextSendTime(at, 'sms', settings, NY).toISOString()).toBe('2026-11-01T13:00:00.000Z'); // 08:00 EST
  });

  it('reads a same-day window and the settings zone before the store one', () => {
    const lunch: NotificationSettings = { timezone: 'Europe/Berlin', quiet_hours: { start: '12:00', end: '13:30', channels: ['email', 'sms'] } };
    const at = new Date('2026-07-01T10:15:00Z'); // 12:15 CEST
    expect(nextSendTime(at, 'email', lunch, NY).toISOString()).toBe('2026-07-01T11:30:00.000Z');
    expect(nextSendTime(new Date('2026-07-01T11:30:00Z'), 'email', lunch, NY).toISOString()).toBe('2026-07-01T11:30:00.000Z');
  });

  it('resolves a wall-clock time the clocks skip to the moment they jump', () => {
    // 02:30 does not exist in New York on 8 March 2026: 02:00 EST is followed by 03:00 EDT (07:00Z).
    expect(instantAtWallClock(Date.UTC(2026, 2, 8, 2, 30), NY).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });
});
