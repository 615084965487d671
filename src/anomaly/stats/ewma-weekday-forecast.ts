/**
 * Daily demand forecast: an exponentially weighted level times a weekday factor, both updated
 * one day at a time. The state is a plain object so it can be stored as a row and updated on
 * each day's total without rereading history.
 */
export interface WeekdayForecastState {
  /** Deseasonalised demand per day. */
  level: number;
  /** Multiplier per weekday, Sunday = 0 (Date#getUTCDay). Averages to about 1. */
  weekday: number[];
  /** Days observed. */
  days: number;
}

export interface WeekdayForecastOptions {
  /** Weight of the newest day in the level. */
  alpha: number;
  /** Weight of the newest same-weekday observation in its factor. */
  gamma: number;
}

export const DEFAULT_FORECAST_OPTIONS: WeekdayForecastOptions = { alpha: 0.2, gamma: 0.15 };

export function emptyForecast(): WeekdayForecastState {
  return { level: 0, weekday: [1, 1, 1, 1, 1, 1, 1], days: 0 };
}

/** Expected demand on a day of the given weekday. */
export function forecastDemand(state: WeekdayForecastState, weekday: number): number {
  return Math.max(0, state.level * (state.weekday[weekday] ?? 1));
}

/** Folds one day's demand into the state (returns a new state). */
export function updateForecast(
  state: WeekdayForecastState,
  weekday: number,
  demand: number,
  options: WeekdayForecastOptions = DEFAULT_FORECAST_OPTIONS,
): WeekdayForecastState {
  const factor = state.weekday[weekday] ?? 1;
  if (state.days === 0) {
    return { level: demand, weekday: [...state.weekday], days: 1 };
  }
  const deseasonalised = factor > 0 ? demand / factor : demand;
  const level = options.alpha * deseasonalised + (1 - options.alpha) * state.level;
  const weekdayFactors = [...state.weekday];
  // The weekday factor only learns once the level is meaningful, else a zero level would blow it up.
  if (level > 1e-9) {
    const ratio = Math.min(demand / level, 5);
    weekdayFactors[weekday] = options.gamma * ratio + (1 - options.gamma) * factor;
  }
  return { level, weekday: weekdayFactors, days: state.days + 1 };
}

/**
 * Days until `onHand` runs out at the forecast rate, walking the weekdays ahead from `fromWeekday`.
 * Infinity when no demand is expected.
 */
export function daysOfCover(
  state: WeekdayForecastState,
  onHand: number,
  fromWeekday: number,
  horizonDays = 365,
): number {
  if (onHand <= 0) return 0;
  let left = onHand;
  for (let d = 0; d < horizonDays; d++) {
    const demand = forecastDemand(state, (fromWeekday + d) % 7);
    if (demand >= left) return d + left / demand;
    left -= demand;
  }
  return Number.POSITIVE_INFINITY;
}
