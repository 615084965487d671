import { describe, expect, it } from 'vitest';
import {
  emptyStockoutHistory,
  foldDay,
  forecastStockout,
  projectRestOfDay,
  shareBefore,
  STOCKOUT_FEATURES,
  stockoutCoefficients,
  type StockoutCoefficients,
  type StockoutHistory,
} from './stockout-forecast.js';

// A flat profile over 6:00-22:00 keeps the arithmetic readable: 1/16 of the day per hour.
const flat = Array.from({ length: 25 }, (_, h) => Math.max(0, Math.min(1, (h - 6) / 16)));
const c: StockoutCoefficients = {
  weights: [-2, 0, 1, 3, 0, 0, 0.5, 0],
  threshold: 0.4,
  demandSpread: 0.3,
  promotionLift: 1.5,
  shareBeforeHour: flat,
  openHour: 6,
  closeHour: 22,
  fittedOn: {},
};

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
const weekday = (d: number) => new Date(`${day(d)}T00:00:00Z`).getUTCDay();

function history(days: number, sales: (d: number) => number, outHours: (d: number) => number = () => 0): StockoutHistory {
  let h = emptyStockoutHistory();
  for (let d = 0; d < days; d++) h = foldDay(h, { date: day(d), sales: sales(d), outHours: outHours(d) }, c);
  return h;
}

const TODAY = 70; // 2024-03-11, a Monday
const steady = history(TODAY, () => 10);
const at = (hour: number, available: number, soldToday: number) => ({ available, date: day(TODAY), hour, soldToday });

describe('stock-out forecast', () => {
  it('expects a stock-out when the stock left after today is below tomorrow\'s forecast, and says when', () => {
    // 18:00, on pace (7.5 of 10 sold): 2.5 more sell today, leaving 5 for a day that wants 10.
    const f = forecastStockout(steady, { date: day(TODAY + 1) }, c, at(18, 7.5, 7.5));
    expect(f.restOfToday!.rest).toBeCloseTo(2.5, 1);
    expect(f.stockLeft).toBeCloseTo(5, 1);
    expect(f.flagged).toBe(true);
    expect(f.runOutHour).toBe(13);
    expect(f.reason).toMatch(/^expected to run out tomorrow around 13:00: 5 left after today, forecast 10; chance \d+%$/);
  });

  it('does not expect one with ample stock and a clean record', () => {
    const f = forecastStockout(steady, { date: day(TODAY + 1) }, c, at(18, 60, 7.5));
    expect(f.flagged).toBe(false);
    expect(f.runOutHour).toBeNull();
    expect(f.reason).toMatch(/^not expected to run out tomorrow: 58 left after today, forecast 10/);
  });

  it('raises the forecast on a busy weekday and on a promotion', () => {
    const saturdays = history(TODAY, (d) => (weekday(d) === 6 ? 20 : 10));
    const nextSaturday = TODAY + ((6 - weekday(TODAY) + 7) % 7 || 7);
    const saturday = forecastStockout(saturdays, { date: day(nextSaturday) }, c, at(18, 16, 7.5));
    const tuesday = forecastStockout(saturdays, { date: day(TODAY + 1) }, c, at(18, 16, 7.5));
    expect(saturday.factors.weekday).toBeGreaterThan(1.3);
    expect(saturday.demand).toBeGreaterThan(1.5 * tuesday.demand);
    expect(saturday.flagged).toBe(true);
    expect(tuesday.flagged).toBe(false);
    expect(saturday.reason).toContain('Saturday ×');

    const plain = forecastStockout(steady, { date: day(TODAY + 1) }, c, at(18, 16, 7.5));
    const promo = forecastStockout(steady, { date: day(TODAY + 1), promotion: true }, c, at(18, 16, 7.5));
    expect(promo.demand).toBeCloseTo(1.5 * plain.demand);
    expect(plain.flagged).toBe(false);
    expect(promo.flagged).toBe(true);
    expect(promo.reason).toContain('promotion ×1.50');
  });

  it('projects the rest of today from the hourly profile and today\'s pace', () => {
    // 14:00 is half the selling day: 5 of 10 expected so far.
    expect(shareBefore(14, c)).toBe(0.5);
    expect(projectRestOfDay(steady, at(14, 100, 5), c).rest).toBeCloseTo(5, 5);
    const busy = projectRestOfDay(steady, at(14, 100, 10), c);
    expect(busy.pace).toBeGreaterThan(1.5);
    expect(busy.rest).toBeGreaterThan(8);
    const slow = projectRestOfDay(steady, at(14, 100, 1), c);
    expect(slow.rest).toBeLessThan(4);
    // At 7:00 nothing sold says little yet: the pace stays near the forecast.
    expect(projectRestOfDay(steady, at(7, 100, 0), c).pace).toBeGreaterThan(0.7);
    // A busy afternoon can empty tomorrow's shelf that an ordinary one would not.
    expect(forecastStockout(steady, { date: day(TODAY + 1) }, c, at(14, 20, 5)).flagged).toBe(false);
    expect(forecastStockout(steady, { date: day(TODAY + 1) }, c, at(14, 20, 10)).flagged).toBe(true);
  });

  it('counts a sold-out day\'s demand from the hours it was on sale, and remembers the stock-out', () => {
    // Out from 14:00: the 5 units sold were half a day's demand.
    const h = foldDay(steady, { date: day(TODAY), sales: 5, outHours: 8 }, c);
    expect(h.lastOutShare).toBe(0.5);
    expect(h.supply).toBe(5);
    expect(h.outRate).toBeGreaterThan(steady.outRate);
    expect(h.demand.level).toBeCloseTo(steady.demand.level, 0);
  });

  it('expects a stock-out from the record alone when the item keeps running out', () => {
    const often = history(TODAY, (d) => (d % 4 ? 6 : 10), (d) => (d % 4 ? 6 : 0));
    const f = forecastStockout(often, { date: day(TODAY) }, c);
    expect(f.stockLeft).toBeNull();
    expect(f.flagged).toBe(true);
    expect(f.reason).toMatch(/^expected to run out tomorrow: out of stock on \d+% of recent days, 6 h yesterday/);
    expect(forecastStockout(steady, { date: day(TODAY) }, c).flagged).toBe(false);
  });

  it('ships coefficients for every feature and an hourly profile that rises to 1', () => {
    const shipped = stockoutCoefficients();
    expect(shipped.weights).toHaveLength(STOCKOUT_FEATURES.length);
    expect(shipped.shareBeforeHour).toHaveLength(25);
    expect(shipped.shareBeforeHour[shipped.openHour]).toBe(0);
    expect(shipped.shareBeforeHour[shipped.closeHour]).toBe(1);
    expect(shipped.shareBeforeHour.every((v, i, a) => i === 0 || v >= a[i - 1]!)).toBe(true);
  });
});
