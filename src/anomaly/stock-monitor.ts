import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import type { AlertSink } from './alert-sink.js';
import type { AnomalyFlag } from './flags/anomaly-flag.js';
import { clearFlags } from './flags/clear-flags.js';
import type { FlagInput } from './flags/raise-flag.js';
import { raiseFlagWithAlert } from './flags/raise-flag-with-alert.js';
import { projectStockCover } from './project-stock-cover.js';
import { demandForecastKey, readDemandForecasts, type DemandForecast } from './read-demand-forecasts.js';
import { poissonUpperTail } from './stats/poisson-upper-tail.js';
import {
  emptyStockoutHistory,
  foldDay,
  forecastStockout,
  stockoutCoefficients,
  type StockoutCoefficients,
  type StockoutHistory,
} from './stockout-forecast.js';

export interface StockMonitorSettings {
  /** Replenishment lead time: cover below it projects a stock-out before new stock can arrive. */
  leadTimeDays: number;
  /** Days of history before the forecast is trusted for cover and spikes. */
  minHistoryDays: number;
  /** A day's sales are a spike when this unlikely under the forecast (Poisson)... */
  spikeAlpha: number;
  /** ...and at least this many units. */
  spikeMinUnits: number;
}

export const DEFAULT_STOCK_SETTINGS: StockMonitorSettings = {
  leadTimeDays: 7,
  minHistoryDays: 7,
  spikeAlpha: 0.001,
  spikeMinUnits: 5,
};

export const STOCK_RULES = ['stockout_projected', 'stockout_tomorrow', 'demand_spike', 'negative_stock', 'reservation_drift'] as const;

interface ForecastRow {
  level: number;
  weekday: number[];
  days: number;
  open_day: string | Date | null;
  open_units: number;
  stockout_record: Omit<StockoutHistory, 'demand'> | null;
  open_out_at: string | Date | null;
}

const FORECAST_COLUMNS = `level, weekday, days, open_day::text AS open_day, open_units, stockout_record, open_out_at`;

function historyOf(row: ForecastRow): StockoutHistory {
  return { ...emptyStockoutHistory(), ...(row.stockout_record ?? {}), demand: { level: row.level, weekday: row.weekday.map(Number), days: row.days } };
}

function historyOfForecast(f: DemandForecast): StockoutHistory {
  return { ...emptyStockoutHistory(), ...(f.stockoutRecord ?? {}), demand: f.state };
}

/** Selling hours lost on a day whose available stock first reached zero at `outAt`. */
function outHoursFrom(outAt: string | Date | null, c: StockoutCoefficients): number {
  if (outAt === null) return 0;
  const t = new Date(outAt);
  const hour = t.getUTCHours() + t.getUTCMinutes() / 60;
  return Math.max(0, c.closeHour - Math.max(c.openHour, hour));
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dayString = (v: string | Date) => (typeof v === 'string' ? v.slice(0, 10) : dayOf(v));
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const addDays = (day: string, n: number) => dayOf(new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86_400_000));

/**
 * Adds sold units to the item's demand forecast. Units accumulate for the current day; when an
 * event of a later day arrives, the finished day (and any days without sales in between) is
 * folded into the EWMA, so each movement costs one row update, never a history scan.
 * With `movementId`, a movement already counted is not counted again (a redelivered event).
 */
export async function recordDemand(
  db: Db,
  variantId: string,
  locationId: string,
  units: number,
  at: Date,
  movementId?: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (movementId !== undefined) {
      const fresh = await tx.query(
        'INSERT INTO anomaly_demand_movements (movement_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING movement_id',
        [movementId],
      );
      if (fresh.rows.length === 0) return;
    }
    await tx.query(
      `INSERT INTO anomaly_demand_forecasts (variant_id, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [variantId, locationId],
    );
    const { rows } = await tx.query<ForecastRow>(
      `SELECT ${FORECAST_COLUMNS} FROM anomaly_demand_forecasts WHERE variant_id = $1 AND location_id = $2 FOR UPDATE`,
      [variantId, locationId],
    );
    const row = rows[0]!;
    const c = stockoutCoefficients();
    const day = dayOf(at);
    let history = historyOf(row);
    let openDay = row.open_day ? dayString(row.open_day) : null;
    let openUnits = row.open_units;
    let openOutAt = row.open_out_at;
    if (openDay === null) {
      openDay = day;
      openUnits = units;
    } else if (day > openDay) {
      history = foldDay(history, { date: openDay, sales: openUnits, outHours: outHoursFrom(openOutAt, c) }, c);
      // Days with no sale at all count as zero demand, up to a quarter without movements.
      for (let d = addDays(openDay, 1), n = 0; d < day && n < 90; d = addDays(d, 1), n++) {
        history = foldDay(history, { date: d, sales: 0, outHours: 0 }, c);
      }
      openDay = day;
      openUnits = units;
      openOutAt = null;
    } else {
      // A late event for an earlier day lands on the open day: close enough for a forecast.
      openUnits += units;
    }
    const { demand: state, ...record } = history;
    await tx.query(
      `UPDATE anomaly_demand_forecasts SET level = $3, weekday = $4, days = $5, open_day = $6, open_units = $7,
              stockout_record = $8, open_out_at = $9, updated_at = now()
        WHERE variant_id = $1 AND location_id = $2`,
      [variantId, locationId, state.level, state.weekday, state.days, openDay, openUnits, JSON.stringify(record), openOutAt],
    );
  });
}

export interface StockCheck {
  subjectId: string;
  onHand: number;
  reserved: number;
  daysOfCover: number | null;
  raised: AnomalyFlag[];
  cleared: number[];
}

/**
 * Checks one item at one location and raises (or clears) its stock flags: negative on-hand,
 * reservations that disagree with the level or with their orders, cover below the lead time,
 * and today's sales far above the forecast.
 */
export async function checkStockLevel(
  db: Db,
  variantId: string,
  locationId: string,
  deps: { settings: StockMonitorSettings; actor: Actor; alerts?: AlertSink; now?: Date; log?: (l: string) => void },
): Promise<StockCheck> {
  const now = deps.now ?? new Date();
  const subjectId = `${variantId}@${locationId}`;
  const { rows } = await db.query<{
    on_hand: number | null;
    reserved: number;
    stale: number;
    stale_orders: string[] | null;
    sku: string | null;
  }>(
    `SELECT l.on_hand,
            COALESCE((SELECT sum(r.quantity) FROM reservations r WHERE r.variant_id = $1 AND r.location_id = $2 AND r.status = 'active'), 0)::int AS reserved,
            (SELECT count(*) FROM reservations r JOIN orders o ON o.id = r.order_id
              WHERE r.variant_id = $1 AND r.location_id = $2 AND r.status = 'active'
                AND o.status IN ('cancelled', 'delivered', 'shipped'))::int AS stale,
            (SELECT array_agg(DISTINCT r.order_id) FROM reservations r JOIN orders o ON o.id = r.order_id
              WHERE r.variant_id = $1 AND r.location_id = $2 AND r.status = 'active'
                AND o.status IN ('cancelled', 'delivered', 'shipped')) AS stale_orders,
            (SELECT sku FROM variants WHERE id = $1) AS sku
       FROM (SELECT 1) one LEFT JOIN inventory_levels l ON l.variant_id = $1 AND l.location_id = $2`,
    [variantId, locationId],
  );
  const level = rows[0]!;
  const onHand = level.on_hand ?? 0;
  const reserved = level.reserved;
  const label = `${level.sku ?? variantId} at ${locationId}`;
  const found: FlagInput[] = [];
  const base = { subjectType: 'stock' as const, subjectId, category: 'stock' as const };

  if (onHand < 0) {
    found.push({
      ...base,
      rule: 'negative_stock',
      severity: 'critical',
      score: 100,
      title: `${label}: on hand is ${onHand}`,
      reasons: [`on-hand stock is ${onHand}, below zero`],
      evidence: { onHand },
    });
  }
  const drift: string[] = [];
  if (reserved > Math.max(onHand, 0)) drift.push(`active reservations hold ${reserved} but only ${onHand} are on hand`);
  if (level.stale > 0) {
    drift.push(
      `${level.stale} active reservation${level.stale === 1 ? '' : 's'} belong to orders already shipped, delivered or cancelled (${(level.stale_orders ?? []).slice(0, 5).join(', ')})`,
    );
  }
  if (drift.length) {
    found.push({
      ...base,
      rule: 'reservation_drift',
      severity: 'warning',
      score: 80,
      title: `${label}: reservations and stock disagree`,
      reasons: drift,
      evidence: { onHand, reserved, staleReservations: level.stale, staleOrders: level.stale_orders ?? [] },
    });
  }

  const f = (await readDemandForecasts(db, [variantId])).get(demandForecastKey(variantId, locationId));
  const available = onHand - reserved;
  const projection = projectStockCover(f?.state, available, now, deps.settings.minHistoryDays);
  // Before enough history the forecast is not trusted: neither cover nor spikes are judged.
  const cover = projection.historyDays >= deps.settings.minHistoryDays ? (projection.daysOfCover ?? Number.POSITIVE_INFINITY) : null;
  if (f && cover !== null) {
    const perDay = projection.dailyVelocity;
    const today = dayOf(now);
    if (cover < deps.settings.leadTimeDays) {
      found.push({
        ...base,
        rule: 'stockout_projected',
        severity: cover < 1 ? 'critical' : 'warning',
        score: Math.round(100 * (1 - cover / deps.settings.leadTimeDays)),
        title: `${label}: ${cover.toFixed(1)} days of cover, lead time ${deps.settings.leadTimeDays} days`,
        reasons: [
          `${available} available (${onHand} on hand, ${reserved} reserved) covers ${cover.toFixed(1)} days at the forecast ${perDay.toFixed(1)} a day`,
          `replenishment takes ${deps.settings.leadTimeDays} days`,
        ],
        evidence: { available, onHand, reserved, daysOfCover: cover, forecastPerDay: perDay, leadTimeDays: deps.settings.leadTimeDays },
      });
    }
    const openDay = f.openDay;
    if (openDay === today && available <= 0 && f.openOutAt === null) {
      // The hour stock ran out tells the forecast how much of today's demand went unserved.
      await db.query(`UPDATE anomaly_demand_forecasts SET open_out_at = $3 WHERE variant_id = $1 AND location_id = $2 AND open_out_at IS NULL`, [
        variantId,
        locationId,
        now,
      ]);
    }
    const c = stockoutCoefficients();
    let history = historyOfForecast(f);
    if (openDay !== null && openDay < today) history = foldDay(history, { date: openDay, sales: f.openUnits, outHours: outHoursFrom(f.openOutAt, c) }, c);
    const tomorrow = forecastStockout(history, { date: addDays(today, 1) }, c, {
      available,
      date: today,
      hour: now.getUTCHours() + now.getUTCMinutes() / 60,
      soldToday: openDay === today ? f.openUnits : 0,
    });
    if (tomorrow.flagged && available > 0) {
      found.push({
        ...base,
        rule: 'stockout_tomorrow',
        severity: 'warning',
        score: Math.round(100 * tomorrow.probability),
        title: `${label}: ${tomorrow.reason}`,
        reasons: [
          tomorrow.reason,
          `${available} available now; the rest of today should sell ${tomorrow.restOfToday!.rest.toFixed(1)} (${tomorrow.restOfToday!.soldSoFar} sold so far against ${tomorrow.restOfToday!.expectedToday.toFixed(1)} expected for the day)`,
        ],
        evidence: {
          available,
          probability: tomorrow.probability,
          fromStockLeft: tomorrow.exceedsStockLeft,
          fromRecord: tomorrow.fromRecord,
          stockLeftTomorrow: tomorrow.stockLeft,
          forecastTomorrow: tomorrow.demand,
          runOutHour: tomorrow.runOutHour,
          restOfToday: tomorrow.restOfToday,
        },
      });
    }
    if (openDay === today) {
      const expected = perDay;
      const p = poissonUpperTail(f.openUnits, Math.max(expected, 0.1));
      if (f.openUnits >= deps.settings.spikeMinUnits && p < deps.settings.spikeAlpha) {
        found.push({
          ...base,
          rule: 'demand_spike',
          severity: 'warning',
          score: Math.min(100, Math.round(-10 * Math.log10(p))),
          title: `${label}: ${f.openUnits} sold today against ${expected.toFixed(1)} expected`,
          reasons: [`${f.openUnits} units sold today; the weekday forecast is ${expected.toFixed(1)} (chance ${p.toExponential(1)})`],
          evidence: { unitsToday: f.openUnits, expected, p },
        });
      }
    }
  }

  const raised: AnomalyFlag[] = [];
  for (const input of found) {
    raised.push((await raiseFlagWithAlert(db, input, deps.actor, deps.alerts, deps.log)).flag);
  }
  const firing = new Set(found.map((x) => x.rule));
  const cleared = await clearFlags(db, 'stock', subjectId, STOCK_RULES.filter((r) => !firing.has(r)), deps.actor);
  return { subjectId, onHand, reserved, daysOfCover: cover, raised, cleared };
}

/**
 * Called for each stock movement (from the movement's outbox event or right after it): a sale
 * feeds the demand forecast, then the item is checked.
 */
export async function onStockMovement(
  db: Db,
  movement: { movementId?: number; variantId: string; locationId: string; quantity: number; kind: string; at?: Date },
  deps: { settings: StockMonitorSettings; actor: Actor; alerts?: AlertSink; now?: Date; log?: (l: string) => void },
): Promise<StockCheck> {
  if (movement.kind === 'sale' && movement.quantity < 0) {
    await recordDemand(
      db,
      movement.variantId,
      movement.locationId,
      -movement.quantity,
      movement.at ?? deps.now ?? new Date(),
      movement.movementId,
    );
  }
  return checkStockLevel(db, movement.variantId, movement.locationId, deps);
}

/** The scheduled sweep: checks every stocked item (cover changes with time even without movements). */
export async function scanStock(
  db: Db,
  deps: { settings: StockMonitorSettings; actor: Actor; alerts?: AlertSink; now?: Date; log?: (l: string) => void },
): Promise<StockCheck[]> {
  const { rows } = await db.query<{ variant_id: string; location_id: string }>(
    'SELECT variant_id, location_id FROM inventory_levels ORDER BY variant_id, location_id',
  );
  const checks: StockCheck[] = [];
  for (const r of rows) checks.push(await checkStockLevel(db, r.variant_id, r.location_id, deps));
  return checks;
}
