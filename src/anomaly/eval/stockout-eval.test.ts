import { describe, expect, it } from 'vitest';
import { fitStockoutForecast, hourlyShares } from './fit-stockout-forecast.js';
import { evaluateStockout, STOCKOUT_SPLIT, type HourlySale, type StockoutEvalRow } from './stockout-eval.js';

const day = (d: number) => new Date(Date.UTC(2024, 2, 28) + d * 86_400_000).toISOString().slice(0, 10);
const weekend = (d: number) => [0, 6].includes(new Date(`${day(d)}T00:00:00Z`).getUTCDay());

/** 20 series over the sample's 90 days that sell out on weekends (6 hours out) and never on weekdays. */
function rows(): StockoutEvalRow[] {
  const out: StockoutEvalRow[] = [];
  for (let d = 0; d < 90; d++) {
    for (let s = 0; s < 20; s++) {
      out.push({
        seriesId: `s${s}`,
        day: { date: day(d), sales: weekend(d) ? 8 : 5 + (s % 3), outHours: weekend(d) ? 6 : 0 },
        plan: { date: day(d) },
      });
    }
  }
  return out;
}

const hours: HourlySale[] = Array.from({ length: 90 * 16 }, (_, i) => ({ date: day(Math.floor(i / 16)), hour: 6 + (i % 16), sales: 1, out: false }));

describe('stock-out eval', () => {
  it('fits before the evaluation split and beats naive and flag-all on the days after it', () => {
    const data = rows();
    const { coefficients } = fitStockoutForecast(data, hours);
    const r = evaluateStockout(data, coefficients);
    expect(r.from).toBe(STOCKOUT_SPLIT.evaluationFrom);
    // 2024-05-27 .. 2024-06-25: 30 days of 20 series, each out on the 8 weekend days.
    expect(r.days_scored).toBe(600);
    expect(r.stockout_days).toBe(160);
    expect(r.naive.precision).toBeCloseTo(4 / 9, 4); // 4 Sundays caught, 5 Mondays flagged wrongly
    expect(r.flag_all.recall).toBe(1);
    expect(r.flag_all.precision).toBeCloseTo(160 / 600, 4);
    expect(r.model.f1).toBeGreaterThan(0.9);
    expect(r.below_floor).toBe(false);
  });

  it('lets no evaluation-day label or sale change the fitted coefficients', () => {
    const data = rows();
    const flipped = data.map((r) =>
      r.day.date >= STOCKOUT_SPLIT.evaluationFrom ? { ...r, day: { ...r.day, outHours: r.day.outHours ? 0 : 9, sales: 50 } } : r,
    );
    const later = hours.map((h) => (h.date >= STOCKOUT_SPLIT.evaluationFrom ? { ...h, sales: h.hour === 6 ? 100 : 0 } : h));
    expect(fitStockoutForecast(flipped, later).coefficients).toEqual(fitStockoutForecast(data, hours).coefficients);
  });

  it('builds the hourly profile from the hours that were on sale', () => {
    const shares = hourlyShares([
      { date: day(0), hour: 6, sales: 1, out: false },
      { date: day(0), hour: 7, sales: 3, out: false },
      { date: day(0), hour: 8, sales: 40, out: true },
    ]);
    expect(shares[6]).toBe(0);
    expect(shares[7]).toBe(0.25);
    expect(shares[8]).toBe(1);
    expect(shares[24]).toBe(1);
  });
});
