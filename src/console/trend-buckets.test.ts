import { describe, expect, it } from 'vitest';
import { bucketOf, dayBuckets, hourBuckets } from './trend-buckets.js';

describe('trend buckets', () => {
  it('gives 48 consecutive hours ending with the current one', () => {
    const now = new Date('2025-05-21T12:34:56Z');
    const b = hourBuckets(now, 'UTC', 48);
    expect(b.labels).toHaveLength(48);
    expect(b.labels[47]).toBe('2025-05-21T12:00:00.000Z');
    expect(b.labels[0]).toBe('2025-05-19T13:00:00.000Z');
    expect(b.starts[48]!.toISOString()).toBe('2025-05-21T13:00:00.000Z');
    expect(bucketOf(b, now)).toBe(47);
    expect(bucketOf(b, new Date('2025-05-19T12:59:59Z'))).toBe(-1);
  });

  it('starts hours on the local hour in a zone half an hour off UTC', () => {
    const b = hourBuckets(new Date('2025-05-21T12:10:00Z'), 'Asia/Kolkata', 2);
    // 17:40 in Kolkata: the current hour opened at 17:00 local, 11:30 UTC.
    expect(b.labels).toEqual(['2025-05-21T10:30:00.000Z', '2025-05-21T11:30:00.000Z']);
  });

  it('steps real hours across a daylight-saving change', () => {
    // New York springs forward at 2025-03-09 07:00Z (02:00 local becomes 03:00).
    const b = hourBuckets(new Date('2025-03-09T08:30:00Z'), 'America/New_York', 3);
    expect(b.labels).toEqual(['2025-03-09T06:00:00.000Z', '2025-03-09T07:00:00.000Z', '2025-03-09T08:00:00.000Z']);
  });

  it('cuts days at local midnight of the store zone', () => {
    // 02:00 UTC on the 21st is still the 20th in New York (UTC-4 in May).
    const now = new Date('2025-05-21T02:00:00Z');
    const b = dayBuckets(now, 'America/New_York', -2, 3);
    expect(b.labels).toEqual(['2025-05-18', '2025-05-19', '2025-05-20']);
    expect(b.starts.map((s) => s.toISOString())).toEqual([
      '2025-05-18T04:00:00.000Z',
      '2025-05-19T04:00:00.000Z',
      '2025-05-20T04:00:00.000Z',
      '2025-05-21T04:00:00.000Z',
    ]);
    expect(bucketOf(b, now)).toBe(2);
    expect(bucketOf(b, new Date('2025-05-19T03:59:59Z'))).toBe(0);
    expect(bucketOf(b, new Date('2025-05-19T04:00:00Z'))).toBe(1);
    expect(dayBuckets(now, 'UTC', 0, 1).labels).toEqual(['2025-05-21']);
  });

  it('gives a 23-hour day when the clocks go forward', () => {
    const b = dayBuckets(new Date('2025-03-09T12:00:00Z'), 'America/New_York', 0, 1);
    expect(b.starts[1]!.getTime() - b.starts[0]!.getTime()).toBe(23 * 3_600_000);
  });
});
