import { SERVICE_LEVELS, type Rate, type ServiceLevel } from './carrier.js';

const levelRank = (level: ServiceLevel) => SERVICE_LEVELS.indexOf(level);

/**
 * The cheapest quote at or above the order's service level that arrives by the promised date
 * (when the carrier gives transit days and a promise exists); failing the date, the cheapest that
 * meets the level. Null when no quote meets the level.
 */
export function cheapestRate(
  rates: readonly Rate[],
  want: { serviceLevel: ServiceLevel; promisedAt: Date | null; now: Date },
): Rate | null {
  const meeting = rates
    .filter((r) => levelRank(r.serviceLevel) >= levelRank(want.serviceLevel))
    .sort((a, b) => a.amount - b.amount || levelRank(b.serviceLevel) - levelRank(a.serviceLevel));
  if (!want.promisedAt) return meeting[0] ?? null;
  const promised = want.promisedAt;
  const onTime = meeting.find((r) => r.transitDays !== null && addBusinessDays(want.now, r.transitDays) <= promised);
  return onTime ?? meeting[0] ?? null;
}

function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d;
}
