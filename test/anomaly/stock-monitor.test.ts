import { expect, it } from 'vitest';
import { createLoggingAlertSink } from '../../src/anomaly/logging-alert-sink.js';
import { listFlags } from '../../src/anomaly/flags/list-flags.js';
import { checkStockLevel, DEFAULT_STOCK_SETTINGS, onStockMovement, recordDemand } from '../../src/anomaly/stock-monitor.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { describeEachDb } from '../support/test-db.js';
import { insertOrder } from './anomaly-fixtures.js';

const actor: Actor = { kind: 'job', id: 'stock-monitor' };
const DAY = 86_400_000;
const TODAY = new Date('2025-05-20T15:00:00Z');

let n = 0;
async function item(db: Db, onHand: number): Promise<{ variantId: string; locationId: string }> {
  const id = `s${++n}`;
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ($1, 'Tee', 'apparel') ON CONFLICT DO NOTHING`, [`p_${id}`]);
  await db.query(`INSERT INTO variants (id, product_id, sku, price) VALUES ($1, $2, $3, 10)`, [`v_${id}`, `p_${id}`, `SKU-${id}`]);
  await db.query(
    `INSERT INTO locations (id, name, kind, region, country) VALUES ('wh1', 'East', 'warehouse', 'east', 'US') ON CONFLICT DO NOTHING`,
  );
  await db.query(`INSERT INTO inventory_levels (variant_id, location_id, on_hand) VALUES ($1, 'wh1', $2)`, [`v_${id}`, onHand]);
  return { variantId: `v_${id}`, locationId: 'wh1' };
}

async function history(db: Db, it: { variantId: string; locationId: string }, perDay: number, days = 21) {
  for (let d = days; d >= 1; d--) await recordDemand(db, it.variantId, it.locationId, perDay, new Date(TODAY.getTime() - d * DAY));
}

const deps = (alerts = createLoggingAlertSink(null)) => ({ settings: DEFAULT_STOCK_SETTINGS, actor, alerts, now: TODAY });
const rules = async (db: Db, subjectId: string) => (await listFlags(db, { subjectId })).map((f) => f.rule).sort();

describeEachDb('stock monitor', (ctx) => {
  it('projects a stock-out when cover is under the lead time, and clears it after a receipt', async () => {
    const it1 = await item(ctx.db, 30);
    await history(ctx.db, it1, 10);
    const check = await checkStockLevel(ctx.db, it1.variantId, it1.locationId, deps());
    expect(check.daysOfCover).toBeGreaterThan(2);
    expect(check.daysOfCover).toBeLessThan(4);
    const [flag] = check.raised;
    expect(flag!.rule).toBe('stockout_projected');
    expect(flag!.reasons[0]).toMatch(/30 available .* covers 3\.\d days/);

    await ctx.db.query(`UPDATE inventory_levels SET on_hand = 500 WHERE variant_id = $1`, [it1.variantId]);
    const after = await checkStockLevel(ctx.db, it1.variantId, it1.locationId, deps());
    expect(after.cleared).toEqual([flag!.id]);
    expect(await rules(ctx.db, `${it1.variantId}@wh1`)).toEqual([]);
  });

  it('does not project a stock-out with ample cover or too little history', async () => {
    const ample = await item(ctx.db, 1000);
    await history(ctx.db, ample, 10);
    expect((await checkStockLevel(ctx.db, ample.variantId, ample.locationId, deps())).raised).toEqual([]);
    const fresh = await item(ctx.db, 5);
    await history(ctx.db, fresh, 10, 3);
    expect((await checkStockLevel(ctx.db, fresh.variantId, fresh.locationId, deps())).raised).toEqual([]);
  });

  it('expects a stock-out tomorrow when the stock left after today falls short of the forecast, and says when', async () => {
    const short = await item(ctx.db, 8);
    await history(ctx.db, short, 10);
    // 15:00, 6 of the 10 a day sold: about 3 more sell today, leaving about 5 for a day that wants 10.
    const check = await onStockMovement(ctx.db, { ...short, quantity: -6, kind: 'sale', at: TODAY }, deps());
    const flag = check.raised.find((f) => f.rule === 'stockout_tomorrow');
    expect(flag).toBeDefined();
    expect(flag!.reasons[0]).toMatch(/^expected to run out tomorrow around 1[0-3]:00: [45]\.\d left after today, forecast 10; chance \d+%$/);
    expect(flag!.reasons[1]).toMatch(/^8 available now; the rest of today should sell 3\.\d \(6 sold so far against 10\.0 expected for the day\)$/);

    const ample = await item(ctx.db, 40);
    await history(ctx.db, ample, 10);
    const calm = await onStockMovement(ctx.db, { ...ample, quantity: -6, kind: 'sale', at: TODAY }, deps());
    expect(calm.raised.map((f) => f.rule)).not.toContain('stockout_tomorrow');
  });

  it("remembers the hour stock ran out and folds it into the item's stock-out record", async () => {
    const out = await item(ctx.db, 0);
    const yesterday = new Date(TODAY.getTime() - DAY);
    for (let d = 21; d >= 2; d--) await recordDemand(ctx.db, out.variantId, out.locationId, 10, new Date(TODAY.getTime() - d * DAY));
    await recordDemand(ctx.db, out.variantId, out.locationId, 6, new Date(yesterday.getTime() - 5 * 3_600_000));
    await checkStockLevel(ctx.db, out.variantId, out.locationId, { ...deps(), now: new Date('2025-05-19T14:00:00Z') });
    await recordDemand(ctx.db, out.variantId, out.locationId, 1, TODAY);
    const { rows } = await ctx.db.query<{ stockout_record: { lastOutShare: number; supply: number; outRate: number } }>(
      'SELECT stockout_record FROM anomaly_demand_forecasts WHERE variant_id = $1 AND location_id = $2',
      [out.variantId, out.locationId],
    );
    // Out from 14:00 to closing at 22:00: half of the 16 selling hours; the 6 sold were what the day's stock allowed.
    expect(rows[0]!.stockout_record.lastOutShare).toBe(0.5);
    expect(rows[0]!.stockout_record.supply).toBe(6);
    expect(rows[0]!.stockout_record.outRate).toBeGreaterThan(0);
  });

  it('flags a demand spike against the weekday forecast, not an ordinary day', async () => {
    const spiky = await item(ctx.db, 10_000);
    await history(ctx.db, spiky, 2);
    const calm = await onStockMovement(ctx.db, { ...spiky, quantity: -2, kind: 'sale', at: TODAY }, deps());
    expect(calm.raised).toEqual([]);
    const spike = await onStockMovement(ctx.db, { ...spiky, quantity: -25, kind: 'sale', at: TODAY }, deps());
    expect(spike.raised.map((f) => f.rule)).toEqual(['demand_spike']);
    expect(spike.raised[0]!.reasons[0]).toContain('27 units sold today');
  });

  it('counts a redelivered sale movement once in the demand forecast', async () => {
    const item1 = await item(ctx.db, 100);
    const sale = { ...item1, movementId: 9_000_001, quantity: -3, kind: 'sale', at: TODAY };
    await onStockMovement(ctx.db, sale, deps());
    await onStockMovement(ctx.db, sale, deps());
    await onStockMovement(ctx.db, { ...sale, movementId: 9_000_002, quantity: -4 }, deps());
    const { rows } = await ctx.db.query<{ open_units: number }>(
      'SELECT open_units FROM anomaly_demand_forecasts WHERE variant_id = $1 AND location_id = $2',
      [item1.variantId, item1.locationId],
    );
    expect(rows[0]!.open_units).toBe(7);
  });

  it('flags negative stock once however often it is checked', async () => {
    const alerts = createLoggingAlertSink(null);
    const neg = await item(ctx.db, -2);
    await checkStockLevel(ctx.db, neg.variantId, neg.locationId, deps(alerts));
    const second = await checkStockLevel(ctx.db, neg.variantId, neg.locationId, deps(alerts));
    const flags = await listFlags(ctx.db, { subjectId: `${neg.variantId}@wh1` });
    expect(flags.map((f) => [f.rule, f.occurrences])).toEqual([['negative_stock', 2]]);
    expect(second.raised[0]!.severity).toBe('critical');
    expect(alerts.raised).toHaveLength(1);
  });

  it('flags reservations held by a cancelled order, and not those of a live one', async () => {
    const st = await item(ctx.db, 10);
    const live = await insertOrder(ctx.db);
    await ctx.db.query(`INSERT INTO reservations (variant_id, location_id, order_id, quantity) VALUES ($1, 'wh1', $2, 3)`, [st.variantId, live.orderId]);
    expect((await checkStockLevel(ctx.db, st.variantId, st.locationId, deps())).raised).toEqual([]);

    const gone = await insertOrder(ctx.db, { status: 'cancelled' });
    await ctx.db.query(`INSERT INTO reservations (variant_id, location_id, order_id, quantity) VALUES ($1, 'wh1', $2, 2)`, [st.variantId, gone.orderId]);
    const check = await checkStockLevel(ctx.db, st.variantId, st.locationId, deps());
    expect(check.raised.map((f) => f.rule)).toEqual(['reservation_drift']);
    expect(check.raised[0]!.reasons[0]).toContain(gone.orderId);
  });

  it('flags reservations above the level', async () => {
    const st = await item(ctx.db, 1);
    const o = await insertOrder(ctx.db);
    await ctx.db.query(`INSERT INTO reservations (variant_id, location_id, order_id, quantity) VALUES ($1, 'wh1', $2, 4)`, [st.variantId, o.orderId]);
    const check = await checkStockLevel(ctx.db, st.variantId, st.locationId, deps());
    expect(check.raised[0]!.reasons).toContain('active reservations hold 4 but only 1 are on hand');
  });
});
