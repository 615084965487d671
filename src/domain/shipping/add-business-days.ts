import { localDateParts } from '../local-date-parts.js';

const DAY_MS = 86_400_000;

/**
 * The moment `days` business days (Monday to Friday; no holiday calendar) after `from`, at the
 * same wall-clock time. Weekdays are those of `timeZone`, the shipping location's: Friday evening
 * in Los Angeles is already Saturday in UTC, and counting there would skip a day.
 */
export function addBusinessDays(from: Date, days: number, timeZone = 'UTC'): Date {
  const local = localDateParts(from, timeZone);
  const wallClock = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, from.getUTCMilliseconds());
  let date = Date.UTC(local.year, local.month - 1, local.day);
  let left = days;
  while (left > 0) {
    date += DAY_MS;
    const weekday = new Date(date).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  const target = wallClock + (date - Date.UTC(local.year, local.month - 1, local.day));
  // Same wall clock, but the zone's offset may differ on that date (daylight saving): correct by the change.
  const guess = new Date(target - (wallClock - from.getTime()));
  const shown = localDateParts(guess, timeZone);
  const shownWallClock = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second, guess.getUTCMilliseconds());
  return new Date(guess.getTime() + (target - shownWallClock));
}
