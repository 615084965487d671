import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { actorLabel } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { listLocations } from '../inventory/location-repository.js';
import { lockStockLevels, type StockLevel } from '../inventory/lock-stock-levels.js';
import type { ServiceLevel } from '../shipping/carrier.js';
import { decideRouting, type CandidateStock, type RoutingExplanation } from './decide-routing.js';
import { parcelOf, type RoutingLine, type RoutingOrder } from './routing-order.js';
import { readRoutingInputs, type RoutingInputs } from './read-routing-inputs.js';
import { listRoutingRules } from './routing-rule-repository.js';
import type { RoutingSettings } from './routing-settings.js';
import type { ShippingQuote } from './shipping-quoter.js';

/** How many units a location can promise: what is not reserved, less the safety stock it keeps back. */
export function candidateUnits(level: StockLevel): number {
  return level.promisable;
}

export interface RoutingRequest {
  destination: { country: string; state: string; zip: string };
  serviceLevel: ServiceLevel;
  channel: string;
  customerTags: string[];
  lines: { key: string; variantId: string; quantity: number; priceCents: number }[];
}

/** What routing needs of a variant, as `ROUTING_VARIANT_COLUMNS` of `variants v` reads it. */
export interface RoutingVariantRow {
  id: string;
  sku: string;
  weight_grams: number;
  length_mm: number;
  width_mm: number;
  height_mm: number;
  hazmat: boolean;
  tags: string[];
  backorder_policy: 'deny' | 'allow';
}

export const ROUTING_VARIANT_COLUMNS = 'v.id, v.sku, v.weight_grams, v.length_mm, v.width_mm, v.height_mm, v.hazmat, v.tags, v.backorder_policy';

/** Adds what routing needs of each variant (weight, size, hazmat, tags, backorder policy). */
export async function buildRoutingOrder(db: Db, request: RoutingRequest): Promise<RoutingOrder> {
  const { rows } = await db.query<RoutingVariantRow>(`SELECT ${ROUTING_VARIANT_COLUMNS} FROM variants v WHERE v.id = ANY($1::text[])`, [
    [...new Set(request.lines.map((l) => l.variantId))],
  ]);
  return routingOrderOf(request, rows);
}

/** buildRoutingOrder for a caller that has read the variants' rows already. */
export function routingOrderOf(request: RoutingRequest, variants: readonly RoutingVariantRow[]): RoutingOrder {
  const byId = new Map(variants.map((r) => [r.id, r]));
  const lines: RoutingLine[] = request.lines.map((l) => {
    const v = byId.get(l.variantId);
    if (!v) throw new DomainError('not_found', 'variant_not_found', `variant ${l.variantId} not found`);
    return {
      key: l.key,
      variantId: v.id,
      sku: v.sku,
      quantity: l.quantity,
      priceCents: l.priceCents,
      weightGrams: v.weight_grams,
      lengthMm: v.length_mm,
      widthMm: v.width_mm,
      heightMm: v.height_mm,
      hazmat: v.hazmat,
      tags: v.tags,
      backorderPolicy: v.backorder_policy,
    };
  });
  return { destination: request.destination, serviceLevel: request.serviceLevel, channel: request.channel, customerTags: request.customerTags, lines };
}

/**
 * Asks the quoter for every active location that offers the service level, with the whole
 * order's parcel. Call BEFORE the transaction that locks stock: a carrier round trip must
 * never hold a stock lock. A quoter failure leaves the rate-card estimate in place.
 */
export async function quoteRoutingCandidates(db: Db, settings: RoutingSettings, order: RoutingOrder): Promise<Map<string, ShippingQuote | null>> {
  const quotes = new Map<string, ShippingQuote | null>();
  if (settings.quoter.code === 'estimate' || order.lines.length === 0) return quotes;
  const locations = (await listLocations(db, { activeOnly: true })).filter((l) => l.services.includes(order.serviceLevel));
  const parcel = parcelOf(order.lines.map((line) => ({ line, quantity: line.quantity })));
  try {
    const answers = await settings.quoter.quote(
      locations.map((l) => ({ locationId: l.id, from: l, to: order.destination, parcel, serviceLevel: order.serviceLevel })),
    );
    locations.forEach((l, i) => {
      const cheapest = [...(answers[i] ?? [])].sort((a, b) => a.amount - b.amount)[0];
      if (cheapest) quotes.set(l.id, cheapest);
    });
  } catch {
    // Routing must not fail because a carrier is down; the decision says the figures are estimates.
  }
  return quotes;
}

/**
 * Locks the levels of every variant on the order (held until the caller's transaction ends, so
 * the reservations written next hold exactly what routing saw) and decides. Throws
 * `insufficient` (insufficient_stock or unroutable) with the reason when it cannot route.
 * With `unlocked` it decides on the levels as last committed and takes no lock: the caller then
 * reserves with `keepSafetyStock` under the lock and starts over locked when that check fails.
 */
export async function routeOrderStock(
  tx: Db,
  order: RoutingOrder,
  options: {
    settings: RoutingSettings;
    quotes?: Map<string, ShippingQuote | null>;
    forcedLocations?: string[];
    unlocked?: boolean;
    /** With `unlocked`: the inputs as the caller's own read took them, for every variant on the order. */
    inputs?: RoutingInputs;
  },
): Promise<RoutingExplanation> {
  const variantIds = order.lines.map((l) => l.variantId);
  const { levels, locations, rules } = options.unlocked
    ? (options.inputs ?? (await readRoutingInputs(tx, variantIds)))
    : { levels: await lockStockLevels(tx, variantIds), locations: await listLocations(tx), rules: await listRoutingRules(tx) };
  const stock: CandidateStock[] = levels.map((l) => ({ variantId: l.variantId, locationId: l.locationId, units: candidateUnits(l) }));
  const result = decideRouting({
    order,
    locations,
    stock,
    rules,
    ...(options.quotes ? { quotes: options.quotes } : {}),
    defaults: { strategy: options.settings.defaultStrategy, maxSplits: options.settings.maxSplits },
    now: options.settings.now(),
    ...(options.forcedLocations ? { forcedLocations: options.forcedLocations } : {}),
  });
  if (!result.ok) throw new DomainError('insufficient', result.code, result.message);
  return result.explanation;
}

export type RoutingTrigger = 'created' | 'lines_changed' | 'address_changed' | 'reroute';

/** Stores the decision with its explanation and puts its promised date on the order. */
export async function recordRoutingDecision(
  tx: Db,
  orderId: string,
  trigger: RoutingTrigger,
  explanation: RoutingExplanation,
  actor: Actor,
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO routing_decisions (order_id, trigger, strategy, explanation, promised_delivery_at, actor)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [orderId, trigger, explanation.strategy, JSON.stringify(explanation), explanation.promisedDeliveryAt, actorLabel(actor)],
  );
  await tx.query('UPDATE orders SET promised_delivery_at = $2 WHERE id = $1', [orderId, explanation.promisedDeliveryAt]);
  return rows[0]!.id;
}
