import { classificationMetrics } from '../stats/classification-metrics.js';
import { StockoutRiskModel, type PlannedDay, type StockDay } from '../stockout-risk-model.js';
import { readCsvRecords } from './read-csv-records.js';

export const STOCKOUT_COLUMNS = ['store_id', 'product_id', 'dt', 'sale_amount', 'stockout_hours_6_22'] as const;

/** FreshRetailNet sells from 6:00 to 22:00. */
const SELLING_HOURS = 16;

export interface StockoutEvalRow {
  day: StockDay;
  planned: PlannedDay;
}

export function loadStockoutDays(path: string): StockoutEvalRow[] {
  return readCsvRecords(path, STOCKOUT_COLUMNS).map((r, i) => {
    const hours = Number(r.stockout_hours_6_22);
    const sales = Number(r.sale_amount);
    if (!Number.isFinite(hours) || !Number.isFinite(sales)) throw new Error(`row ${i + 1}: sale_amount or stockout_hours_6_22 is not a number`);
    return {
      day: {
        seriesId: `${r.city_id ?? ''}/${r.store_id}/${r.product_id}`,
        date: r.dt!,
        sales,
        stockoutHours: hours,
        sellingHours: SELLING_HOURS,
      },
      planned: {
        date: r.dt!,
        promotion: r.activity_flag === '1',
        priceRatio: r.discount ? Number(r.discount) : 1,
        holiday: r.holiday_flag === '1',
      },
    };
  });
}

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  flagged: number;
}

export interface StockoutEvalReport {
  model: Scores;
  baseline: Scores;
  /** Flagging every series every day, for scale: the share of days with a stock-out. */
  flag_all: Scores;
  beats_baseline: boolean;
  days_scored: number;
  stockout_days: number;
}

/**
 * Walks the days in order. Each evening the model flags "stock-out expected tomorrow" per
 * series from what it has seen; the naive baseline flags when the series was out of stock that
 * day. Both are scored against the next day's annotated stock-out hours, on the same days.
 * Promotion, discount and holiday of the predicted day count as known the evening before
 * (they are planned); its sales and stock-out hours are not.
 */
export function evaluateStockout(rows: readonly StockoutEvalRow[]): StockoutEvalReport {
  const byDate = new Map<string, StockoutEvalRow[]>();
  for (const row of rows) {
    const list = byDate.get(row.day.date) ?? [];
    list.push(row);
    byDate.set(row.day.date, list);
  }
  const model = new StockoutRiskModel();
  const lastOut = new Map<string, boolean>();
  const modelFlags: boolean[] = [];
  const baselineFlags: boolean[] = [];
  const labels: boolean[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const today = byDate.get(date)!;
    for (const row of today) {
      const prediction = model.predict(row.day.seriesId, row.planned);
      const yesterday = lastOut.get(row.day.seriesId);
      if (!prediction || yesterday === undefined) continue;
      modelFlags.push(prediction.flagged);
      baselineFlags.push(yesterday);
      labels.push(row.day.stockoutHours > 0);
    }
    model.observeDay(today.map((r) => r.day));
    for (const row of today) lastOut.set(row.day.seriesId, row.day.stockoutHours > 0);
  }
  const pick = (flags: boolean[]): Scores => {
    const m = classificationMetrics(flags, labels);
    return { precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), flagged: m.flagged };
  };
  const result = {
    model: pick(modelFlags),
    baseline: pick(baselineFlags),
    flag_all: pick(labels.map(() => true)),
  };
  return {
    ...result,
    beats_baseline: result.model.f1 > result.baseline.f1,
    days_scored: labels.length,
    stockout_days: labels.filter(Boolean).length,
  };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
