import type { ServiceLevel } from '../shipping/carrier.js';
import type { CanonicalOrder } from './canonical-order.js';

// Checked in order: the fastest promise a title makes wins ("Express Overnight" is overnight).
const WORDS: readonly [ServiceLevel, RegExp][] = [
  ['overnight', /\b(overnight|next[\s-]?day|same[\s-]?day|1[\s-]?day|one[\s-]?day)\b/i],
  ['expedited', /\b(express|expedited|priority|rush|2[\s-]?day|two[\s-]?day|3[\s-]?day|1-2 (business )?days)\b/i],
  ['economy', /\b(economy|saver|slow|ground[\s-]?saver|budget|free shipping)\b/i],
];

/**
 * The service level the buyer chose: the order's own, else the first shipping line's, else read
 * from the shipping lines' titles; standard when nothing says otherwise.
 */
export function serviceLevelOf(order: Pick<CanonicalOrder, 'service_level' | 'shipping_lines'>): ServiceLevel {
  if (order.service_level) return order.service_level;
  const lines = order.shipping_lines ?? [];
  const stated = lines.find((l) => l.service_level)?.service_level;
  if (stated) return stated;
  for (const [level, words] of WORDS) {
    if (lines.some((l) => words.test(l.title) || (l.code !== undefined && words.test(l.code)))) return level;
  }
  return 'standard';
}
