import { describe, expect, it } from 'vitest';
import { estimatedTransitDays, shippingZone } from './shipping-zone.js';

describe('shippingZone', () => {
  it('bands domestic distance into zones 1 to 8 and puts every other country in 9', () => {
    expect(shippingZone(10, true)).toBe(1);
    expect(shippingZone(500, true)).toBe(4);
    expect(shippingZone(3900, true)).toBe(8);
    expect(shippingZone(10, false)).toBe(9);
  });

  it('never promises a faster service slower than a slower one', () => {
    for (let zone = 1; zone <= 9; zone++) {
      const days = (['economy', 'standard', 'expedited', 'overnight'] as const).map((l) => estimatedTransitDays(zone, l));
      expect([...days].sort((a, b) => b - a)).toEqual(days);
    }
  });
});
