/**
 * A fixed-offset IANA zone (Etc/GMT±n) in which `at` falls at about `hour` o'clock local time,
 * so a test that moves a clock by whole days stays in the daytime, away from quiet hours,
 * whatever hour it runs at.
 */
export function morningTimeZone(at: Date, hour = 9): string {
  let offset = hour - at.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // Etc zones are named with the sign reversed: Etc/GMT-3 is three hours ahead of UTC.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
