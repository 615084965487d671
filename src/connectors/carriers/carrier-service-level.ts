import type { ServiceLevel } from '../../domain/shipping/carrier.js';

// Service names and tokens as EasyPost (Priority, NextDayAir, FEDEX_2_DAY) and Shippo
// (usps_priority, ups_next_day_air) spell them, lower-cased with separators removed.
const BY_NAME: [RegExp, ServiceLevel][] = [
  [/overnight|nextday|nextdayair|express(?!saver)|priorityexpress|expressmail|sameday/, 'overnight'],
  [/2day|2ndday|seconddayair|twoday|expresssaver|3dayselect|3day/, 'expedited'],
  [/groundadvantage|parcelselect|mediamail|librarymail|smartpost|economy|saver|surepost/, 'economy'],
  [/ground|priority|first|standard|home/, 'standard'],
];

/**
 * Which of our service levels a carrier service belongs to: by its name when it says (overnight,
 * 2-day, ground...), otherwise by the days in transit the carrier quotes.
 */
export function carrierServiceLevel(service: string, transitDays: number | null): ServiceLevel {
  const key = service.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [pattern, level] of BY_NAME) if (pattern.test(key)) return level;
  if (transitDays === null) return 'standard';
  if (transitDays <= 1) return 'overnight';
  if (transitDays <= 3) return 'expedited';
  return transitDays <= 5 ? 'standard' : 'economy';
}
