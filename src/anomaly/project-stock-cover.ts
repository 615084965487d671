import { daysOfCover, forecastDemand, type WeekdayForecastState } from './stats/ewma-weekday-forecast.js';

/** How long the available units of one item last at its forecast demand. */
export interface StockCover {
  /** Forecast units a day for today's weekday; 0 without a forecast. */
  dailyVelocity: number;
  /**
   * Days until available runs out; null when the forecast is not trusted yet (fewer than
   * `minHistoryDays` days seen) or expects no demand while stock is left.
   */
  daysOfCover: number | null;
  /** now + daysOfCover; null when daysOfCover is. */
  projectedStockoutAt: Date | null;
  /** Days the forecast has seen. */
  historyDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The one reading of cover shared by the stock monitor (its stock-out flag) and the console's
 * outlook. Days and weekdays are UTC, as recordDemand files sales under UTC days.
 */
export function projectStockCover(
  forecast: WeekdayForecastState | null | undefined,
  available: number,
  now: Date,
  minHistoryDays: number,
): StockCover {
  if (!forecast) return { dailyVelocity: 0, daysOfCover: null, projectedStockoutAt: null, historyDays: 0 };
  const weekday = now.getUTCDay();
  const dailyVelocity = forecastDemand(forecast, weekday);
  const trusted = forecast.days >= minHistoryDays;
  const cover = trusted ? daysOfCover(forecast, available, weekday) : Number.POSITIVE_INFINITY;
  const finite = Number.isFinite(cover);
  return {
    dailyVelocity,
    daysOfCover: finite ? cover : null,
    projectedStockoutAt: finite ? new Date(now.getTime() + cover * DAY_MS) : null,
    historyDays: forecast.days,
  };
}
