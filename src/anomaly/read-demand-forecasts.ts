import type { Db } from '../db/db.js';
import type { WeekdayForecastState } from './stats/ewma-weekday-forecast.js';
import type { StockoutHistory } from './stockout-forecast.js';

/** The stored demand forecast of one variant at one location (see recordDemand). */
export interface DemandForecast {
  variantId: string;
  locationId: string;
  state: WeekdayForecastState;
  /** The day (YYYY-MM-DD, UTC) whose sales are still accumulating, and its units so far. */
  openDay: string | null;
  openUnits: number;
  /** The stock-out record the forecast folds each closed day into (see stockout-forecast.ts). */
  stockoutRecord: Omit<StockoutHistory, 'demand'> | null;
  /** When available stock first reached zero on the open day; null while it has not. */
  openOutAt: string | Date | null;
}

/** The key `readDemandForecasts` files a forecast under. */
export const demandForecastKey = (variantId: string, locationId: string): string => `${variantId}\u0000${locationId}`;

interface Row {
  variant_id: string;
  location_id: string;
  level: number;
  weekday: number[];
  days: number;
  open_day: string | null;
  open_units: number;
  stockout_record: Omit<StockoutHistory, 'demand'> | null;
  open_out_at: string | Date | null;
}

/** The demand forecasts of the given variants at every location, by demandForecastKey. */
export async function readDemandForecasts(db: Db, variantIds: readonly string[]): Promise<Map<string, DemandForecast>> {
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<Row>(
    `SELECT variant_id, location_id, level, weekday, days, open_day::text AS open_day, open_units, stockout_record, open_out_at
       FROM anomaly_demand_forecasts WHERE variant_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      demandForecastKey(r.variant_id, r.location_id),
      {
        variantId: r.variant_id,
        locationId: r.location_id,
        state: { level: Number(r.level), weekday: r.weekday.map(Number), days: Number(r.days) },
        openDay: r.open_day ? r.open_day.slice(0, 10) : null,
        openUnits: Number(r.open_units),
        stockoutRecord: r.stockout_record,
        openOutAt: r.open_out_at,
      },
    ]),
  );
}
