import { describe, expect, it } from 'vitest';
import { StockoutRiskModel } from './stockout-risk-model.js';

const date = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

describe('StockoutRiskModel', () => {
  it('learns online that a series selling out on weekends will sell out next weekend', () => {
    const model = new StockoutRiskModel();
    const weekend = (d: number) => [0, 6].includes(new Date(`${date(d)}T00:00:00Z`).getUTCDay());
    const lastWeek: { weekend: boolean; flagged: boolean }[] = [];
    for (let d = 0; d < 120; d++) {
      const preds = ['a', 'b', 'c'].map((s) => model.predict(s, { date: date(d) }));
      if (d >= 113) lastWeek.push({ weekend: weekend(d), flagged: preds[0]!.flagged });
      model.observeDay(
        ['a', 'b', 'c'].map((s) => ({
          seriesId: s,
          date: date(d),
          sales: weekend(d) ? 8 : 10,
          stockoutHours: weekend(d) ? 6 : 0,
          sellingHours: 16,
        })),
      );
    }
    expect(lastWeek.filter((x) => x.weekend).every((x) => x.flagged)).toBe(true);
    expect(lastWeek.filter((x) => !x.weekend).some((x) => x.flagged)).toBe(false);
  });

  it('gives no prediction before a series has history', () => {
    expect(new StockoutRiskModel().predict('new', { date: '2024-01-01' })).toBeNull();
  });
});
