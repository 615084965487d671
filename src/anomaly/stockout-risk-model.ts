import {
  emptyForecast,
  forecastDemand,
  updateForecast,
  type WeekdayForecastState,
} from './stats/ewma-weekday-forecast.js';
import { OnlineLogistic } from './stats/online-logistic.js';

/** One day of one stocked item (a store × product series, or a variant at a location). */
export interface StockDay {
  seriesId: string;
  /** YYYY-MM-DD */
  date: string;
  /** Units sold that day (censored by stock-outs). */
  sales: number;
  /** Selling hours the item was out of stock (0 = none). */
  stockoutHours: number;
  /** Hours the item is on sale in a day. */
  sellingHours: number;
}

/** What is planned for the day being predicted (known the evening before). */
export interface PlannedDay {
  date: string;
  promotion?: boolean;
  /** Price as a share of the list price (1 = no discount). */
  priceRatio?: number;
  holiday?: boolean;
}

interface SeriesState {
  days: number;
  yesterdayOut: number;
  yesterdayHours: number;
  outRate: number;
  hoursRate: number;
  weekdayOut: (number | null)[];
  demand: WeekdayForecastState;
  /** What a day's stock allowed to sell, learned from days that sold out. */
  supply: number | null;
}

export interface StockoutPrediction {
  seriesId: string;
  date: string;
  probability: number;
  flagged: boolean;
  /** Readable reasons behind the probability. */
  reasons: string[];
}

const FEATURES = 11;
const EW = 0.3;

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * "Stock-out expected tomorrow" for many item series, learned online. For each series it keeps
 * the recent stock-out pattern, a weekday-seasonal EWMA demand forecast (uncensored by the hours
 * the item was out) and the supply a day usually carries; one logistic model shared by all
 * series turns those into a probability, trained only on days whose outcome is already known.
 * The flag threshold is the one that would have maximised F1 over the trailing `window` days.
 */
export class StockoutRiskModel {
  private readonly series = new Map<string, SeriesState>();
  private readonly model = new OnlineLogistic(FEATURES, 0.1);
  private pending = new Map<string, number[]>();
  private readonly history: { p: number; y: boolean }[][] = [];
  private threshold = 0.5;

  constructor(private readonly window = 28) {}

  /**
   * Predicts the next day for one series from what it has seen so far. Returns null before the
   * series has two days of history.
   */
  predict(seriesId: string, next: PlannedDay): StockoutPrediction | null {
    const s = this.series.get(seriesId);
    if (!s || s.days < 2) return null;
    const x = this.features(s, next);
    this.pending.set(`${seriesId}\u0000${next.date}`, x);
    const probability = this.model.predict(x);
    return { seriesId, date: next.date, probability, flagged: probability >= this.threshold, reasons: this.reasons(s, next) };
  }

  /** Folds in one finished day per series (all series of the same date together), then learns. */
  observeDay(days: readonly StockDay[]): void {
    const outcomes: { p: number; y: boolean }[] = [];
    for (const day of days) {
      const key = `${day.seriesId}\u0000${day.date}`;
      const x = this.pending.get(key);
      const out = day.stockoutHours > 0;
      if (x) {
        outcomes.push({ p: this.model.predict(x), y: out });
        this.model.learn(x, out ? 1 : 0);
        this.pending.delete(key);
      }
      this.update(day);
    }
    this.history.push(outcomes);
    if (this.history.length > this.window) this.history.shift();
    this.threshold = bestF1Threshold(this.history.flat(), this.threshold);
  }

  get currentThreshold(): number {
    return this.threshold;
  }

  private update(day: StockDay): void {
    let s = this.series.get(day.seriesId);
    const out = day.stockoutHours > 0 ? 1 : 0;
    const hours = Math.min(1, day.stockoutHours / day.sellingHours);
    if (!s) {
      s = {
        days: 0,
        yesterdayOut: out,
        yesterdayHours: hours,
        outRate: out,
        hoursRate: hours,
        weekdayOut: [null, null, null, null, null, null, null],
        demand: emptyForecast(),
        supply: null,
      };
      this.series.set(day.seriesId, s);
    }
    const wd = weekdayOf(day.date);
    s.yesterdayOut = out;
    s.yesterdayHours = hours;
    s.outRate = (1 - EW) * s.outRate + EW * out;
    s.hoursRate = (1 - EW) * s.hoursRate + EW * hours;
    const prev = s.weekdayOut[wd];
    s.weekdayOut[wd] = prev === null || prev === undefined ? out : 0.5 * prev + 0.5 * out;
    // Sales on a day that sold out understate demand: scale by the share of hours on sale.
    s.demand = updateForecast(s.demand, wd, day.sales / Math.max(0.25, 1 - hours));
    if (out) s.supply = s.supply === null ? day.sales : 0.7 * s.supply + 0.3 * day.sales;
    s.days++;
  }

  private features(s: SeriesState, next: PlannedDay): number[] {
    const wd = weekdayOf(next.date);
    const demand = forecastDemand(s.demand, wd);
    const supply = s.supply ?? demand * 2;
    return [
      1,
      s.yesterdayOut,
      s.yesterdayHours,
      s.outRate,
      s.hoursRate,
      s.weekdayOut[wd] ?? s.outRate,
      Math.log((demand + 0.05) / (supply + 0.05)),
      next.promotion ? 1 : 0,
      1 - (next.priceRatio ?? 1),
      next.holiday ? 1 : 0,
      s.yesterdayOut * s.outRate,
    ];
  }

  private reasons(s: SeriesState, next: PlannedDay): string[] {
    const wd = weekdayOf(next.date);
    const demand = forecastDemand(s.demand, wd);
    const reasons = [
      `out of stock on ${Math.round(s.outRate * 100)}% of recent days${s.yesterdayOut ? ', including yesterday' : ''}`,
    ];
    if (s.supply !== null && demand > s.supply) {
      reasons.push(`forecast demand ${demand.toFixed(1)} exceeds the ${s.supply.toFixed(1)} a day's stock usually covers`);
    }
    if (next.promotion) reasons.push('a promotion runs that day');
    return reasons;
  }
}

function bestF1Threshold(outcomes: readonly { p: number; y: boolean }[], fallback: number): number {
  if (!outcomes.some((o) => o.y)) return fallback;
  let best = { f1: -1, t: fallback };
  for (let t = 0.05; t < 0.951; t += 0.01) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const o of outcomes) {
      if (o.p >= t) o.y ? tp++ : fp++;
      else if (o.y) fn++;
    }
    const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    if (f1 > best.f1) best = { f1, t };
  }
  return best.t;
}
