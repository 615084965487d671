import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyForecast, forecastDemand, updateForecast, type WeekdayForecastState } from './stats/ewma-weekday-forecast.js';
import { sigmoid } from './stats/fit-logistic.js';
import { normalCdf } from './stats/normal-cdf.js';

/**
 * The fitted constants of the stock-out forecast, kept as data in
 * `stockout-forecast-coefficients.json` and written by `orderops anomaly fit-stockout`.
 */
export interface StockoutCoefficients {
  /** Logistic weights, one per name in STOCKOUT_FEATURES (the intercept first). */
  weights: number[];
  /** Probability at or above which "stock-out expected tomorrow" is flagged. */
  threshold: number;
  /** Standard deviation of log(actual / forecast) demand: how far a day usually strays from its forecast. */
  demandSpread: number;
  /** Demand on a promotion day as a multiple of an ordinary day's. */
  promotionLift: number;
  /** Share of a day's demand that sells before each hour 0..24 (0 up to opening, 1 from closing on). */
  shareBeforeHour: number[];
  openHour: number;
  closeHour: number;
  /** Which data and which days produced the numbers, for whoever reads the file. */
  fittedOn: Record<string, unknown>;
}

/** The inputs of the stock-out record model (a logistic model), in the order of `weights`. */
export const STOCKOUT_FEATURES = [
  'intercept',
  'demand_exceeds_usual_supply',
  'yesterday_out_share',
  'recent_out_rate',
  'long_out_rate',
  'weekday_out_rate',
  'promotion',
  'discount',
] as const;

/** What the forecast remembers of one item (a SKU at a location, or a store × product series). */
export interface StockoutHistory {
  /** Uncensored daily demand: a level times a weekday factor, promotions divided out. */
  demand: WeekdayForecastState;
  /** Exponentially weighted share of recent days with a stock-out (about the last week). */
  outRate: number;
  /** The same over about the last month. */
  longOutRate: number;
  /** Share of stock-out days per weekday (Sunday = 0), null until that weekday was seen. */
  weekdayOutRate: (number | null)[];
  /** Share of the selling hours the item was out on the last finished day. */
  lastOutShare: number;
  /** Units a day's stock allowed to sell, learned from days that sold out; null until one did. */
  supply: number | null;
}

/** One finished day of one item. */
export interface FinishedDay {
  /** YYYY-MM-DD */
  date: string;
  /** Units sold (fewer than the demand when the item ran out). */
  sales: number;
  /** Selling hours the item was out of stock (0 = none). */
  outHours: number;
  promotion?: boolean;
}

/** What is planned for the day being forecast: known the evening before. */
export interface PlannedDay {
  /** YYYY-MM-DD */
  date: string;
  promotion?: boolean;
  /** Price as a share of the list price (1 = no discount). */
  priceRatio?: number;
}

/** Stock known now, with today's sales so far, for an item whose level we hold. */
export interface StockNow {
  /** Units available now (on hand minus reserved). */
  available: number;
  /** YYYY-MM-DD of today. */
  date: string;
  /** Hour of the day now, fractional (14.5 = 14:30). */
  hour: number;
  /** Units sold so far today. */
  soldToday: number;
  promotionToday?: boolean;
}

export interface RestOfDay {
  expectedToday: number;
  soldSoFar: number;
  /** Sales so far against what the forecast expected by this hour (1 = on forecast). */
  pace: number;
  /** Units still expected to sell before closing. */
  rest: number;
}

export interface StockoutForecast {
  date: string;
  probability: number;
  flagged: boolean;
  /** Expected demand tomorrow. */
  demand: number;
  /** Units left for tomorrow after the projected rest of today; null when the level is not known. */
  stockLeft: number | null;
  /** Chance that tomorrow's demand exceeds the stock left (0 when the level is not known). */
  exceedsStockLeft: number;
  /** Chance of a stock-out from the item's own record, promotion and usual supply. */
  fromRecord: number;
  /** Whole hour the stock left runs out at the forecast pace; null when it lasts the day or is unknown. */
  runOutHour: number | null;
  restOfToday: RestOfDay | null;
  /** The values of STOCKOUT_FEATURES the probability came from. */
  features: number[];
  /** Share of recent days the item was out of stock. */
  recentOutRate: number;
  yesterdayOutShare: number;
  /** What drives the demand forecast away from an ordinary day (weekday and promotion factors). */
  factors: { weekday: number; promotion: number };
  reason: string;
}

const OUT_RATE_WEIGHT = 0.3;
const LONG_OUT_RATE_WEIGHT = 0.07;
const WEEKDAY_OUT_WEIGHT = 0.5;
const SUPPLY_WEIGHT = 0.3;
/** Demand floor so that items with no sales keep a defined ratio. */
const EPS = 0.05;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function emptyStockoutHistory(): StockoutHistory {
  return { demand: emptyForecast(), outRate: 0, longOutRate: 0, weekdayOutRate: [null, null, null, null, null, null, null], lastOutShare: 0, supply: null };
}

/** Where the shipped coefficients live (written by `orderops anomaly fit-stockout`). */
export const STOCKOUT_COEFFICIENTS_FILE = fileURLToPath(new URL('./stockout-forecast-coefficients.json', import.meta.url));

let loaded: StockoutCoefficients | null = null;

/** The coefficients shipped with the code (read once). */
export function stockoutCoefficients(): StockoutCoefficients {
  loaded ??= JSON.parse(readFileSync(STOCKOUT_COEFFICIENTS_FILE, 'utf8')) as StockoutCoefficients;
  return loaded;
}

/** Share of the day's demand that sells before `hour` (fractional), from the hourly profile. */
export function shareBefore(hour: number, c: StockoutCoefficients): number {
  if (hour <= 0) return 0;
  if (hour >= 24) return 1;
  const h = Math.floor(hour);
  const a = c.shareBeforeHour[h] ?? 0;
  const b = c.shareBeforeHour[h + 1] ?? 1;
  return a + (b - a) * (hour - h);
}

/** Folds a finished day into the item's history (returns a new history). */
export function foldDay(history: StockoutHistory, day: FinishedDay, c: StockoutCoefficients): StockoutHistory {
  const sellingHours = c.closeHour - c.openHour;
  const outHours = Math.max(0, Math.min(sellingHours, day.outHours));
  const out = outHours > 0 ? 1 : 0;
  // A day that sold out at 15:00 only saw the demand of the hours before 15:00.
  const soldShare = out ? Math.max(0.1, shareBefore(c.closeHour - outHours, c)) : 1;
  const lift = day.promotion ? c.promotionLift : 1;
  const wd = weekdayOf(day.date);
  const demand = updateForecast(history.demand, wd, day.sales / soldShare / lift);
  const first = history.demand.days === 0;
  const ew = (old: number, weight: number) => (first ? out : (1 - weight) * old + weight * out);
  const weekdayOutRate = [...history.weekdayOutRate];
  const seen = weekdayOutRate[wd];
  weekdayOutRate[wd] = seen === null || seen === undefined ? out : (1 - WEEKDAY_OUT_WEIGHT) * seen + WEEKDAY_OUT_WEIGHT * out;
  return {
    demand,
    outRate: ew(history.outRate, OUT_RATE_WEIGHT),
    longOutRate: ew(history.longOutRate, LONG_OUT_RATE_WEIGHT),
    weekdayOutRate,
    lastOutShare: outHours / sellingHours,
    supply: out ? (history.supply === null ? day.sales : (1 - SUPPLY_WEIGHT) * history.supply + SUPPLY_WEIGHT * day.sales) : history.supply,
  };
}

/** Expected demand on `day`, with its weekday and promotion factors. */
export function forecastDay(history: StockoutHistory, day: PlannedDay, c: StockoutCoefficients) {
  const wd = weekdayOf(day.date);
  const weekday = history.demand.weekday[wd] ?? 1;
  const promotion = day.promotion ? c.promotionLift : 1;
  return { demand: forecastDemand(history.demand, wd) * promotion, factors: { weekday, promotion } };
}

/**
 * Projects the rest of today: the forecast's remaining share of the day, scaled by how today's
 * sales so far compare with what the forecast expected by now. Early in the day little has sold
 * either way, so the pace is pulled towards 1 by a pseudo-count of a fifth of the day.
 */
export function projectRestOfDay(history: StockoutHistory, now: StockNow, c: StockoutCoefficients): RestOfDay {
  const expectedToday = forecastDay(history, { date: now.date, ...(now.promotionToday ? { promotion: true } : {}) }, c).demand;
  const share = shareBefore(now.hour, c);
  const prior = 0.2 * expectedToday + EPS;
  const pace = Math.max(0.25, Math.min(4, (now.soldToday + prior) / (expectedToday * share + prior)));
  return { expectedToday, soldSoFar: now.soldToday, pace, rest: expectedToday * (1 - share) * pace };
}

/** The hour by which `stock` is gone when `demand` sells along the hourly profile; null if it lasts the day. */
export function runOutHour(stock: number, demand: number, c: StockoutCoefficients): number | null {
  if (stock <= 0) return c.openHour;
  if (demand <= stock) return null;
  const target = stock / demand;
  for (let h = c.openHour; h < c.closeHour; h++) {
    if (shareBefore(h + 1, c) >= target) return h;
  }
  return null;
}

/** P(demand > stock) for demand log-normal around `demand` with the fitted spread. */
export function chanceDemandExceeds(stock: number, demand: number, c: StockoutCoefficients): number {
  if (stock <= 0) return demand > 0 ? 1 : 0;
  return normalCdf(Math.log((demand + EPS) / (stock + EPS)) / c.demandSpread);
}

/** The values of STOCKOUT_FEATURES for the day `plan`, from the history before it. */
export function stockoutFeatures(history: StockoutHistory, plan: PlannedDay, demand: number, c: StockoutCoefficients): number[] {
  // No sell-out seen yet: stock has so far covered the demand, so take twice the forecast.
  const supply = history.supply ?? 2 * demand;
  const p = Math.max(0.01, Math.min(0.99, chanceDemandExceeds(supply, demand, c)));
  return [
    1,
    Math.log(p / (1 - p)),
    history.lastOutShare,
    history.outRate,
    history.longOutRate,
    history.weekdayOutRate[weekdayOf(plan.date)] ?? history.outRate,
    plan.promotion ? 1 : 0,
    1 - (plan.priceRatio ?? 1),
  ];
}

/**
 * The chance that `plan.date` (tomorrow) has a stock-out, by two routes. From the record: a
 * logistic model weighs the item's own stock-out record, the planned promotion and discount, and
 * how its forecast demand compares with what a day's stock usually sold; this part is what
 * `orderops anomaly eval-stockout` measures. From the stock left, when the level is known: the
 * rest of today is projected from the hourly profile and today's pace, and demand, taken as
 * log-normal around the weekday and promotion forecast, may exceed what remains. Either route can
 * empty the shelf, so the two combine as a noisy OR.
 */
export function forecastStockout(history: StockoutHistory, plan: PlannedDay, c: StockoutCoefficients, now?: StockNow): StockoutForecast {
  const { demand, factors } = forecastDay(history, plan, c);
  const x = stockoutFeatures(history, plan, demand, c);
  const fromRecord = sigmoid(x.reduce((s, v, i) => s + v * (c.weights[i] ?? 0), 0));
  let stockLeft: number | null = null;
  let restOfToday: RestOfDay | null = null;
  let exceedsStockLeft = 0;
  if (now) {
    restOfToday = projectRestOfDay(history, now, c);
    stockLeft = Math.max(0, now.available - restOfToday.rest);
    exceedsStockLeft = chanceDemandExceeds(stockLeft, demand, c);
  }
  const probability = 1 - (1 - fromRecord) * (1 - exceedsStockLeft);
  const forecast = {
    date: plan.date,
    probability,
    flagged: probability >= c.threshold,
    demand,
    stockLeft,
    exceedsStockLeft,
    fromRecord,
    runOutHour: stockLeft === null ? null : runOutHour(stockLeft, demand, c),
    restOfToday,
    features: x,
    recentOutRate: history.outRate,
    yesterdayOutShare: history.lastOutShare,
    factors,
  };
  return { ...forecast, reason: describeStockout(forecast, c) };
}

/**
 * "expected to run out tomorrow around 15:00: 40 left after today, forecast 55 (Saturday ×1.20,
 * promotion ×1.08); chance 81%", or, when the record carries the chance, how often the item was
 * out lately.
 */
export function describeStockout(f: Omit<StockoutForecast, 'reason'>, c: StockoutCoefficients): string {
  const units = (v: number) => (v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1));
  const drivers: string[] = [];
  if (Math.abs(f.factors.weekday - 1) >= 0.05) drivers.push(`${WEEKDAY_NAMES[weekdayOf(f.date)]} ×${f.factors.weekday.toFixed(2)}`);
  if (f.factors.promotion !== 1) drivers.push(`promotion ×${f.factors.promotion.toFixed(2)}`);
  const forecast = `forecast ${units(f.demand)}${drivers.length ? ` (${drivers.join(', ')})` : ''}`;
  const hours = Math.round(f.yesterdayOutShare * (c.closeHour - c.openHour));
  const record = `out of stock on ${Math.round(f.recentOutRate * 100)}% of recent days${hours ? `, ${hours} h yesterday` : ''}`;
  const chance = `chance ${Math.round(f.probability * 100)}%`;
  if (f.stockLeft !== null && (f.exceedsStockLeft >= f.fromRecord || !f.flagged)) {
    const head = !f.flagged
      ? 'not expected to run out tomorrow'
      : f.runOutHour !== null
        ? `expected to run out tomorrow around ${String(f.runOutHour).padStart(2, '0')}:00`
        : 'at risk of running out tomorrow';
    return `${head}: ${units(f.stockLeft)} left after today, ${forecast}; ${chance}`;
  }
  const head = f.flagged ? 'expected to run out tomorrow' : 'not expected to run out tomorrow';
  return `${head}: ${record}; ${forecast}; ${chance}`;
}
