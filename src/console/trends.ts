import type { FlagCategory } from '../anomaly/flags/anomaly-flag.js';
import type { Db } from '../db/db.js';
import { FLAG_CATEGORIES } from './dashboard-summary.js';
import { SLA_RULES } from './inbox.js';
import { listProjectedStockouts } from './stock-outlook.js';
import { bucketOf, dayBuckets, hourBuckets, type TimeBuckets } from './trend-buckets.js';

export interface TrendsOptions {
  /** Days of flag and breach history, and days ahead of projected stock-outs (1..90). */
  days: number;
  /** IANA zone the hours and days are read in (the store's). */
  timeZone: string;
  now?: Date;
}

export interface Trends {
  generated_at: string;
  time_zone: string;
  days: number;
  /** The last 48 hours, the current one last; hours without orders are 0. */
  orders_per_hour: { hour: string; count: number }[];
  /** SLA breaches (flags of the SLA rules) first seen per day, oldest first, today last. */
  sla_breaches_per_day: { day: string; count: number }[];
  /** Other anomaly flags first seen per day, by category. */
  flags_per_day: { day: string; count: number; by_category: Record<FlagCategory, number> }[];
  /** Variants projected to run out (at some location) on each day from today on, from the stock monitor's forecast. */
  stockouts_projected: { day: string; count: number }[];
}

export const ORDER_TREND_HOURS = 48;

/**
 * Counts per bucket of the rows whose `column` falls in the buckets, grouped further by `by`
 * when given. width_bucket against the bucket starts keeps the local-day edges (daylight saving)
 * as JavaScript computed them.
 */
async function countPerBucket(db: Db, buckets: TimeBuckets, from: string, column: string, where: string, params: unknown[], by?: string) {
  const starts = `$${params.length + 1}::timestamptz[]`;
  const { rows } = await db.query<{ bucket: number; key: string | null; n: number }>(
    `SELECT width_bucket(${column}, ${starts}) AS bucket, ${by ?? 'NULL'} AS key, count(*)::int AS n
       FROM ${from}
      WHERE ${column} >= $${params.length + 2} AND ${column} < $${params.length + 3}${where ? ` AND ${where}` : ''}
      GROUP BY 1, 2`,
    [...params, buckets.starts.map((s) => s.toISOString()), buckets.starts[0]!.toISOString(), buckets.starts[buckets.starts.length - 1]!.toISOString()],
  );
  // width_bucket numbers the first bucket 1.
  return rows.map((r) => ({ index: Number(r.bucket) - 1, key: r.key, n: Number(r.n) }));
}

/** The series of the console's trends page, each bucketed in the store's time zone. */
export async function readTrends(db: Db, options: TrendsOptions): Promise<Trends> {
  const now = options.now ?? new Date();
  const tz = options.timeZone;

  const hours = hourBuckets(now, tz, ORDER_TREND_HOURS);
  const orders = hours.labels.map((hour) => ({ hour, count: 0 }));
  for (const r of await countPerBucket(db, hours, 'orders', 'placed_at', '', [])) orders[r.index]!.count += r.n;

  const past = dayBuckets(now, tz, 1 - options.days, options.days);
  const breaches = past.labels.map((day) => ({ day, count: 0 }));
  for (const r of await countPerBucket(db, past, 'anomaly_flags', 'first_seen_at', 'rule = ANY($1::text[])', [SLA_RULES])) breaches[r.index]!.count += r.n;

  const flags = past.labels.map((day) => ({
    day,
    count: 0,
    by_category: Object.fromEntries(FLAG_CATEGORIES.map((c) => [c, 0])) as Record<FlagCategory, number>,
  }));
  for (const r of await countPerBucket(db, past, 'anomaly_flags', 'first_seen_at', 'NOT (rule = ANY($1::text[]))', [SLA_RULES], 'category')) {
    const day = flags[r.index]!;
    day.count += r.n;
    day.by_category[r.key as FlagCategory] = (day.by_category[r.key as FlagCategory] ?? 0) + r.n;
  }

  const ahead = dayBuckets(now, tz, 0, options.days);
  const outOn = ahead.labels.map(() => new Set<string>());
  for (const s of await listProjectedStockouts(db, now)) {
    // An item already out is projected at `now`, so it lands on today.
    const i = bucketOf(ahead, s.at);
    if (i >= 0) outOn[i]!.add(s.variantId);
  }

  return {
    generated_at: now.toISOString(),
    time_zone: tz,
    days: options.days,
    orders_per_hour: orders,
    sla_breaches_per_day: breaches,
    flags_per_day: flags,
    stockouts_projected: ahead.labels.map((day, i) => ({ day, count: outOn[i]!.size })),
  };
}
