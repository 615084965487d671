import { localDateParts } from '../domain/local-date-parts.js';
import type { NotificationSettings } from './workflow.js';

const MINUTE_MS = 60_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The wall clock an instant shows in `timeZone`, as milliseconds of a UTC calendar (comparable, not an instant). */
function wallClockOf(at: Date, timeZone: string): number {
  const p = localDateParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/**
 * The first instant whose wall clock in `timeZone` reads `wall` (a UTC-calendar millisecond
 * value) or later. Offsets are read from the zone on either side of the day, so a daylight-saving
 * change is taken from the zone's own rules; a time the clocks skip resolves to the moment they
 * jump past it.
 */
export function instantAtWallClock(wall: number, timeZone: string): Date {
  const offsets = [wall - 86_400_000, wall + 86_400_000].map((t) => wallClockOf(new Date(t), timeZone) - Math.floor(t / 1000) * 1000);
  const candidates = [...new Set(offsets)].map((o) => wall - o).sort((a, b) => a - b);
  const exact = candidates.find((c) => wallClockOf(new Date(c), timeZone) === wall);
  if (exact !== undefined) return new Date(exact);
  // In a gap: the wall clock jumps over `wall` between the two candidates; find the jump to the minute.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallClockOf(new Date(mid), timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * When a message of `channel` due at `at` may go: `at` itself outside quiet hours (or for a
 * channel they do not cover), otherwise the end of the quiet window, read in the settings' time
 * zone (or the store's). A window whose start is after its end runs over midnight.
 */
export function nextSendTime(at: Date, channel: 'email' | 'sms', settings: NotificationSettings, timezone: string): Date {
  const quiet = settings.quiet_hours;
  if (!quiet || !quiet.channels.includes(channel)) return at;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const zone = settings.timezone ?? timezone;
  const local = localDateParts(at, zone);
  const now = local.hour * 60 + local.minute;
  const overnight = start > end;
  const inside = overnight ? now >= start || now < end : now >= start && now < end;
  if (!inside) return at;
  // Past midnight already (or a same-day window): the window ends today; before midnight: tomorrow.
  const dayOffset = overnight && now >= start ? 1 : 0;
  const wall = Date.UTC(local.year, local.month - 1, local.day + dayOffset, Math.floor(end / 60), end % 60);
  return instantAtWallClock(wall, zone);
}
