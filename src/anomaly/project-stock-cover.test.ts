import { describe, expect, it } from 'vitest';
import { projectStockCover } from './project-stock-cover.js';
import type { WeekdayForecastState } from './stats/ewma-weekday-forecast.js';

const flat = (perDay: number, days = 21): WeekdayForecastState => ({ level: perDay, weekday: [1, 1, 1, 1, 1, 1, 1], days });
// A Wednesday.
const NOW = new Date('2025-05-21T12:00:00Z');

describe('projectStockCover', () => {
  it('divides what is available by the forecast a day and projects the stock-out from now', () => {
    const c = projectStockCover(flat(10), 35, NOW, 7);
    expect(c.dailyVelocity).toBe(10);
    expect(c.daysOfCover).toBeCloseTo(3.5, 9);
    expect(c.projectedStockoutAt!.toISOString()).toBe('2025-05-25T00:00:00.000Z');
    expect(c.historyDays).toBe(21);
  });

  it('walks the weekday factors ahead: a busy weekend shortens the cover', () => {
    // Wednesday 1, Thursday 1, Friday 1, Saturday 4 a day at level 1.
    const weekend: WeekdayForecastState = { level: 1, weekday: [4, 1, 1, 1, 1, 1, 4], days: 28 };
    // Wed, Thu, Fri take 3 of 5; Saturday's 4 take the other 2 in half a day.
    expect(projectStockCover(weekend, 5, NOW, 7).daysOfCover).toBeCloseTo(3.5, 9);
  });

  it('has no cover without sales, and no forecast before enough history', () => {
    expect(projectStockCover(flat(0), 10, NOW, 7)).toEqual({ dailyVelocity: 0, daysOfCover: null, projectedStockoutAt: null, historyDays: 21 });
    expect(projectStockCover(undefined, 10, NOW, 7)).toEqual({ dailyVelocity: 0, daysOfCover: null, projectedStockoutAt: null, historyDays: 0 });
    const young = projectStockCover(flat(10, 3), 10, NOW, 7);
    expect(young.dailyVelocity).toBe(10);
    expect(young.daysOfCover).toBeNull();
  });

  it('is out now when nothing is available', () => {
    const c = projectStockCover(flat(2), -3, NOW, 7);
    expect(c.daysOfCover).toBe(0);
    expect(c.projectedStockoutAt).toEqual(NOW);
  });
});
