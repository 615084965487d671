import { describe, expect, it } from 'vitest';
import { carrierServiceLevel } from './carrier-service-level.js';

describe('carrierServiceLevel', () => {
  it('reads EasyPost and Shippo service names', () => {
    expect(carrierServiceLevel('NextDayAir', 1)).toBe('overnight');
    expect(carrierServiceLevel('PRIORITY_OVERNIGHT', null)).toBe('overnight');
    expect(carrierServiceLevel('usps_priority_express', 1)).toBe('overnight');
    expect(carrierServiceLevel('FEDEX_2_DAY', 2)).toBe('expedited');
    expect(carrierServiceLevel('FEDEX_EXPRESS_SAVER', 3)).toBe('expedited');
    expect(carrierServiceLevel('ups_second_day_air', 2)).toBe('expedited');
    expect(carrierServiceLevel('Priority', 2)).toBe('standard');
    expect(carrierServiceLevel('Ground', 4)).toBe('standard');
    expect(carrierServiceLevel('GroundAdvantage', 4)).toBe('economy');
    expect(carrierServiceLevel('usps_ground_advantage', 5)).toBe('economy');
  });

  it('falls back to the quoted days in transit', () => {
    expect(carrierServiceLevel('Mystery', 1)).toBe('overnight');
    expect(carrierServiceLevel('Mystery', 3)).toBe('expedited');
    expect(carrierServiceLevel('Mystery', 5)).toBe('standard');
    expect(carrierServiceLevel('Mystery', 9)).toBe('economy');
    expect(carrierServiceLevel('Mystery', null)).toBe('standard');
  });
});
