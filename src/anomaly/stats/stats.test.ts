import { describe, expect, it } from 'vitest';
import { averagePrecision, classificationMetrics } from './classification-metrics.js';
import { daysOfCover, emptyForecast, forecastDemand, updateForecast } from './ewma-weekday-forecast.js';
import { OnlineLogistic } from './online-logistic.js';
import { poissonUpperTail } from './poisson-upper-tail.js';
import { median, medianAbsoluteDeviation, robustBaseline, robustZ } from './robust-z.js';

describe('robust z', () => {
  it('takes the median and MAD of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
  });

  it('is unmoved by one huge outlier in the history', () => {
    const base = robustBaseline([10, 11, 9, 10, 12, 10, 1000]);
    expect(base.median).toBe(10);
    expect(robustZ(11, base)).toBeLessThan(1);
    expect(robustZ(60, base)).toBeGreaterThan(10);
  });

  it('does not divide by zero when half the history is identical', () => {
    const base = robustBaseline([20, 20, 20, 20, 21]);
    expect(Number.isFinite(robustZ(200, base))).toBe(true);
    expect(robustZ(200, base)).toBeGreaterThan(10);
  });
});

describe('poisson upper tail', () => {
  it('matches hand-computed values', () => {
    // P(X >= 1 | 2) = 1 - e^-2
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 10);
    // P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2)
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 10);
    expect(poissonUpperTail(0, 5)).toBe(1);
  });

  it('gets small for bursts and stays finite for large rates', () => {
    expect(poissonUpperTail(10, 0.5)).toBeLessThan(1e-8);
    const p = poissonUpperTail(1200, 1000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-6);
  });
});

describe('weekday EWMA forecast', () => {
  it('learns a weekly pattern', () => {
    let state = emptyForecast();
    for (let day = 0; day < 140; day++) {
      const weekday = day % 7;
      state = updateForecast(state, weekday, weekday === 6 ? 30 : 10);
    }
    expect(forecastDemand(state, 6)).toBeGreaterThan(2 * forecastDemand(state, 2));
    expect(forecastDemand(state, 2)).toBeGreaterThan(7);
    expect(forecastDemand(state, 2)).toBeLessThan(13);
  });

  it('counts days of cover across weekdays', () => {
    const state = { level: 10, weekday: [1, 1, 1, 1, 1, 1, 1], days: 30 };
    expect(daysOfCover(state, 25, 0)).toBeCloseTo(2.5);
    expect(daysOfCover(state, 0, 0)).toBe(0);
    expect(daysOfCover({ ...state, level: 0 }, 5, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('online logistic', () => {
  it('learns a separable rule from a stream', () => {
    const model = new OnlineLogistic(2, 0.5);
    for (let i = 0; i < 2000; i++) {
      const x = i % 2;
      model.learn([1, x], x ? 1 : 0);
    }
    expect(model.predict([1, 1])).toBeGreaterThan(0.9);
    expect(model.predict([1, 0])).toBeLessThan(0.1);
  });
});

describe('classification metrics', () => {
  it('computes precision, recall and F1', () => {
    const m = classificationMetrics([true, true, false, false], [true, false, true, false]);
    expect(m).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, flagged: 2, positives: 2 });
  });

  it('gives average precision 1 for a perfect ranking and less for a worse one', () => {
    expect(averagePrecision([0.9, 0.8, 0.1], [true, true, false])).toBe(1);
    // ranking: neg, pos, pos -> (1/2 * 1/2) + (1/2 * 2/3)
    expect(averagePrecision([0.9, 0.8, 0.7], [false, true, true])).toBeCloseTo(0.25 + 1 / 3);
  });

  it('ranks tied scores together', () => {
    expect(averagePrecision([0.5, 0.5], [true, false])).toBeCloseTo(0.5);
  });
});

describe('median by selection', () => {
  it('agrees with sorting on many random samples, odd and even', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 500; t++) {
      const values = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * 10));
      const s = [...values].sort((a, b) => a - b);
      const n = s.length;
      const expected = n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      expect(median(values)).toBe(expected);
    }
  });
});
