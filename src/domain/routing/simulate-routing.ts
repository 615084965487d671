import type { Db } from '../../db/db.js';
import { listLocations } from '../inventory/location-repository.js';
import { readStockLevels } from '../inventory/lock-stock-levels.js';
import type { ServiceLevel } from '../shipping/carrier.js';
import { decideRouting, type RoutingResult } from './decide-routing.js';
import { buildRoutingOrder, candidateUnits } from './route-order-stock.js';
import type { RoutingRule } from './routing-rule.js';
import { listRoutingRules } from './routing-rule-repository.js';
import type { RoutingSettings } from './routing-settings.js';

export interface SimulatedRouting {
  /** Location per SKU (several when split), e.g. { 'TEE-M': ['loc-a'] }. */
  locations: Record<string, string[]>;
  parts: number;
  cost: number;
  promisedDeliveryAt: string | null;
  refused: string | null;
}

export interface SimulatedOrder {
  orderId: string;
  placedAt: string;
  before: SimulatedRouting;
  after: SimulatedRouting;
  changed: boolean;
}

export interface RoutingSimulation {
  since: string;
  orders: number;
  changed: SimulatedOrder[];
  totals: {
    changed: number;
    splitsBefore: number;
    splitsAfter: number;
    costBefore: number;
    costAfter: number;
    promisedEarlier: number;
    promisedLater: number;
    refusedBefore: number;
    refusedAfter: number;
  };
}

/**
 * Replays the orders placed in the last `sinceDays` days (not cancelled) under the rules in
 * force and under `rules`, against current stock (each order may use what it holds itself),
 * with each order's placement time as the clock for promised dates. Reads only; writes nothing.
 */
export async function simulateRouting(
  db: Db,
  args: { rules: RoutingRule[]; sinceDays: number; now: Date; settings: RoutingSettings },
): Promise<RoutingSimulation> {
  const since = new Date(args.now.getTime() - args.sinceDays * 86_400_000);
  const { rows: orders } = await db.query<{
    id: string;
    placed_at: Date | string;
    country: string;
    state: string;
    zip: string;
    service_level: ServiceLevel;
    channel: string;
    tags: string[];
  }>(
    `SELECT o.id, o.placed_at, o.country, o.state, o.zip, o.service_level, o.channel, c.tags
       FROM orders o JOIN customers c ON c.id = o.customer_id
      WHERE o.placed_at >= $1 AND o.placed_at <= $2 AND o.status <> 'cancelled' ORDER BY o.placed_at, o.id`,
    [since.toISOString(), args.now.toISOString()],
  );
  const { rows: lineRows } = await db.query<{ order_id: string; variant_id: string; quantity: number; price: string }>(
    `SELECT l.order_id, l.variant_id, l.quantity, l.price::text AS price FROM order_lines l
      WHERE l.order_id = ANY($1::text[]) ORDER BY l.order_id, l.position, l.id`,
    [orders.map((o) => o.id)],
  );
  const { rows: held } = await db.query<{ order_id: string; variant_id: string; location_id: string; quantity: number }>(
    `SELECT order_id, variant_id, location_id, sum(quantity)::int AS quantity FROM reservations
      WHERE status = 'active' AND order_id = ANY($1::text[]) GROUP BY 1, 2, 3`,
    [orders.map((o) => o.id)],
  );
  const [locations, currentRules, levels] = await Promise.all([
    listLocations(db),
    listRoutingRules(db),
    readStockLevels(db, [...new Set(lineRows.map((l) => l.variant_id))]),
  ]);
  const defaults = { strategy: args.settings.defaultStrategy, maxSplits: args.settings.maxSplits };

  const results: SimulatedOrder[] = [];
  for (const o of orders) {
    // Lines a split spread over several rows are routed as one line per variant, as when the order came in.
    const merged = new Map<string, { quantity: number; priceCents: number }>();
    for (const l of lineRows.filter((x) => x.order_id === o.id)) {
      const m = merged.get(l.variant_id) ?? { quantity: 0, priceCents: Math.round(Number(l.price) * 100) };
      m.quantity += l.quantity;
      merged.set(l.variant_id, m);
    }
    if (merged.size === 0) continue;
    const order = await buildRoutingOrder(db, {
      destination: { country: o.country, state: o.state, zip: o.zip },
      serviceLevel: o.service_level,
      channel: o.channel,
      customerTags: o.tags,
      lines: [...merged].map(([variantId, m]) => ({ key: variantId, variantId, ...m })),
    });
    const own = held.filter((h) => h.order_id === o.id);
    const stock = levels
      .filter((l) => merged.has(l.variantId))
      .map((l) => ({
        variantId: l.variantId,
        locationId: l.locationId,
        units: candidateUnits(l) + own.filter((h) => h.variant_id === l.variantId && h.location_id === l.locationId).reduce((s, h) => s + h.quantity, 0),
      }));
    const now = new Date(o.placed_at);
    const run = (rules: RoutingRule[]) => summarise(decideRouting({ order, locations, stock, rules, defaults, now }));
    const before = run(currentRules);
    const after = run(args.rules);
    results.push({ orderId: o.id, placedAt: now.toISOString(), before, after, changed: JSON.stringify(before) !== JSON.stringify(after) });
  }
  const changed = results.filter((r) => r.changed);
  const cents = (n: number) => Math.round(n * 100);
  const sum = (f: (r: SimulatedOrder) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    since: since.toISOString(),
    orders: results.length,
    changed,
    totals: {
      changed: changed.length,
      splitsBefore: results.filter((r) => r.before.parts > 1).length,
      splitsAfter: results.filter((r) => r.after.parts > 1).length,
      costBefore: sum((r) => cents(r.before.cost)) / 100,
      costAfter: sum((r) => cents(r.after.cost)) / 100,
      promisedEarlier: changed.filter((r) => cmp(r.after.promisedDeliveryAt, r.before.promisedDeliveryAt) < 0).length,
      promisedLater: changed.filter((r) => cmp(r.after.promisedDeliveryAt, r.before.promisedDeliveryAt) > 0).length,
      refusedBefore: results.filter((r) => r.before.refused).length,
      refusedAfter: results.filter((r) => r.after.refused).length,
    },
  };
}

function cmp(a: string | null, b: string | null): number {
  if (a === null || b === null) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function summarise(result: RoutingResult): SimulatedRouting {
  if (!result.ok) return { locations: {}, parts: 0, cost: 0, promisedDeliveryAt: null, refused: result.message };
  const e = result.explanation;
  const locations: Record<string, string[]> = {};
  for (const p of e.parts) for (const l of p.lines) (locations[l.sku] ??= []).push(p.locationId);
  for (const sku of Object.keys(locations)) locations[sku]!.sort();
  return { locations, parts: e.parts.length, cost: e.totalCost, promisedDeliveryAt: e.promisedDeliveryAt, refused: null };
}

/** The simulation as text: one block per changed order, then the totals. */
export function formatRoutingSimulation(sim: RoutingSimulation): string {
  const out = [`replayed ${sim.orders} orders placed since ${sim.since}; ${sim.totals.changed} would change`];
  const where = (r: SimulatedRouting) =>
    r.refused ? `REFUSED (${r.refused})` : Object.entries(r.locations).map(([sku, locs]) => `${sku}@${locs.join('+')}`).join(', ');
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'n/a');
  for (const c of sim.changed) {
    out.push(`${c.orderId} (placed ${c.placedAt.slice(0, 10)})`);
    out.push(`  before: ${where(c.before)}; ${c.before.parts} shipment(s); ${c.before.cost.toFixed(2)}; promised ${day(c.before.promisedDeliveryAt)}`);
    out.push(`  after:  ${where(c.after)}; ${c.after.parts} shipment(s); ${c.after.cost.toFixed(2)}; promised ${day(c.after.promisedDeliveryAt)}`);
  }
  const t = sim.totals;
  out.push(
    `totals: split orders ${t.splitsBefore} -> ${t.splitsAfter}; shipping ${t.costBefore.toFixed(2)} -> ${t.costAfter.toFixed(2)}; ` +
      `promised earlier ${t.promisedEarlier}, later ${t.promisedLater}; refused ${t.refusedBefore} -> ${t.refusedAfter}`,
  );
  return out.join('\n');
}
