import { localDateParts } from '../domain/local-date-parts.js';
import { instantAtWallClock } from '../notifications/quiet-hours.js';

/** Consecutive time buckets: `starts[i]` opens bucket i, `starts[i + 1]` closes it (one more start than buckets). */
export interface TimeBuckets {
  /** Per bucket: the local hour's start instant (ISO) or the local date (YYYY-MM-DD). */
  labels: string[];
  starts: Date[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The last `count` whole hours of `timeZone` up to and including the one `now` is in. */
export function hourBuckets(now: Date, timeZone: string, count: number): TimeBuckets {
  const p = localDateParts(now, timeZone);
  const current = instantAtWallClock(Date.UTC(p.year, p.month - 1, p.day, p.hour), timeZone).getTime();
  // Real hours, stepped on the instant line: a daylight-saving change neither skips nor repeats one.
  const starts = Array.from({ length: count + 1 }, (_, i) => new Date(current - (count - 1 - i) * HOUR_MS));
  return { labels: starts.slice(0, count).map((s) => s.toISOString()), starts };
}

/**
 * `count` local dates of `timeZone` starting `offset` days from the date `now` is on (offset
 * -6 and count 7: the past week with today), each from its local midnight to the next.
 */
export function dayBuckets(now: Date, timeZone: string, offset: number, count: number): TimeBuckets {
  const p = localDateParts(now, timeZone);
  const today = Date.UTC(p.year, p.month - 1, p.day);
  const walls = Array.from({ length: count + 1 }, (_, i) => today + (offset + i) * DAY_MS);
  return {
    labels: walls.slice(0, count).map((w) => new Date(w).toISOString().slice(0, 10)),
    starts: walls.map((w) => instantAtWallClock(w, timeZone)),
  };
}

/** The bucket an instant falls in, or -1 outside them all. */
export function bucketOf(buckets: TimeBuckets, at: Date): number {
  const t = at.getTime();
  const s = buckets.starts;
  if (s.length < 2 || t < s[0]!.getTime() || t >= s[s.length - 1]!.getTime()) return -1;
  let lo = 0;
  let hi = s.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s[mid]!.getTime() <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}
