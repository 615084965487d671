import type { Location } from '../inventory/location-repository.js';
import { estimatedTransitDays } from '../shipping/shipping-zone.js';
import { estimateQuote, originCoordinates, zoneOf } from './estimated-shipping-quoter.js';
import { greatCircleKm } from './great-circle-km.js';
import { matchRoutingRules, type ResolvedOutcome, type RuleMatch } from './match-routing-rules.js';
import { postalCoordinates } from './postal-coordinates.js';
import { promisedDeliveryDate } from './promised-delivery-date.js';
import { parcelOf, type RoutingLine, type RoutingOrder } from './routing-order.js';
import type { RoutingRule, RoutingStrategyCode } from './routing-rule.js';
import { ROUTING_STRATEGY_BY_CODE } from './routing-strategies.js';
import { compareCandidates, type RankedCandidate } from './routing-strategy.js';
import type { QuoteRequest, ShippingQuote } from './shipping-quoter.js';

/** Units a location can promise for a variant; the caller decides what counts (available, or available minus safety stock). */
export interface CandidateStock {
  variantId: string;
  locationId: string;
  units: number;
}

export interface DecideRoutingInput {
  order: RoutingOrder;
  locations: Location[];
  stock: CandidateStock[];
  rules: RoutingRule[];
  /** Quotes fetched before the stock locks, by location id; a location without one gets the rate-card estimate. */
  quotes?: Map<string, ShippingQuote | null>;
  defaults: { strategy: RoutingStrategyCode; maxSplits: number };
  now: Date;
  /** A forced reroute: only these locations, whatever the rules say about eligibility. */
  forcedLocations?: string[];
}

export interface PartLine {
  key: string;
  variantId: string;
  sku: string;
  /** Units reserved at this location. */
  quantity: number;
  /** Units accepted as backordered at this location (not reserved; policy 'allow'). */
  backordered: number;
}

export interface DecisionPart {
  locationId: string;
  lines: PartLine[];
  weightGrams: number;
  quote: ShippingQuote;
  shipsOn: string;
  deliversOn: string;
  promisedAt: string;
  afterCutoff: boolean;
}

export interface CandidateExplanation {
  locationId: string;
  name: string;
  eligible: boolean;
  /** Why the location may not ship at all (inactive, rule, service level). */
  refusals: string[];
  /** What limits what it can ship (stock, hazmat, weight). */
  limits: string[];
  stock: { sku: string; wanted: number; available: number }[];
  shipsAll: boolean;
  distanceKm: number | null;
  quote: ShippingQuote | null;
  rank: number | null;
}

export interface RoutingExplanation {
  strategy: RoutingStrategyCode;
  strategySummary: string;
  serviceLevel: string;
  rules: RuleMatch[];
  outcome: ResolvedOutcome;
  forcedLocations: string[] | null;
  candidates: CandidateExplanation[];
  parts: DecisionPart[];
  winner: { locations: string[]; why: string };
  promisedDeliveryAt: string | null;
  totalCost: number;
  costCurrency: string;
  /** True when any cost or transit figure came from the rate-card estimate, not a carrier. */
  estimated: boolean;
  decidedAt: string;
}

export type RoutingResult =
  | { ok: true; explanation: RoutingExplanation }
  | {
      ok: false;
      code: 'insufficient_stock' | 'unroutable';
      message: string;
      /** The first SKU that could not be placed, null when the split cap refused the order. */
      sku: string | null;
      explanation: RoutingExplanation;
    };

const stockKey = (variantId: string, locationId: string) => `${variantId}\u0000${locationId}`;

/**
 * Decides where every unit of an order ships from, and explains it. Pure: the caller locks the
 * stock levels (inside the transaction that will reserve) and passes what they hold; quotes are
 * fetched before. One eligible location that can ship everything wins by the strategy's rank;
 * otherwise the order splits (each part where it ships from) up to the split cap.
 */
export function decideRouting(input: DecideRoutingInput): RoutingResult {
  const { order } = input;
  const matching = matchRoutingRules(input.rules, order, input.defaults);
  const { outcome } = matching;
  const strategy = ROUTING_STRATEGY_BY_CODE[outcome.strategy];
  const destination = postalCoordinates(order.destination);
  const units = new Map(input.stock.map((s) => [stockKey(s.variantId, s.locationId), Math.max(0, s.units)]));
  const wantedByVariant = new Map<string, number>();
  for (const l of order.lines) wantedByVariant.set(l.variantId, (wantedByVariant.get(l.variantId) ?? 0) + l.quantity);
  const totalUnits = order.lines.reduce((s, l) => s + l.quantity, 0);
  const forced = input.forcedLocations ?? null;
  const wholeParcel = parcelOf(order.lines.map((line) => ({ line, quantity: line.quantity })));

  const locations = [...input.locations].sort((a, b) => (a.id < b.id ? -1 : 1));
  const facts = locations.map((loc) => {
    const refusals: string[] = [];
    if (!loc.active) refusals.push('inactive');
    if (forced && !forced.includes(loc.id)) refusals.push('not among the locations the reroute forced');
    if (!forced && outcome.eligibleLocations && !outcome.eligibleLocations.includes(loc.id)) {
      refusals.push(`not eligible under rule ${outcome.eligibleFrom}`);
    }
    if (outcome.excludedLocations.includes(loc.id)) refusals.push('excluded by a matching rule');
    if (!loc.services.includes(order.serviceLevel)) refusals.push(`does not offer ${order.serviceLevel} service`);
    const limits: string[] = [];
    for (const l of order.lines) if (l.hazmat && !loc.hazmat) limits.push(`cannot ship hazmat ${l.sku}`);
    const origin = originCoordinates(loc);
    const distanceKm = origin && destination ? greatCircleKm(origin, destination) : null;
    const quote =
      input.quotes?.get(loc.id) ??
      estimateQuote({ locationId: loc.id, from: loc, to: order.destination, parcel: wholeParcel, serviceLevel: order.serviceLevel })[0]!;
    const full = takeFrom(loc, order.lines, new Map(order.lines.map((l) => [l.key, l.quantity])), units);
    const orderWeight = order.lines.reduce((s, l) => s + l.weightGrams * l.quantity, 0);
    if (loc.maxWeightGrams !== null && orderWeight > loc.maxWeightGrams) {
      limits.push(`order weighs ${orderWeight} g, over its ${loc.maxWeightGrams} g limit`);
    }
    const stock = [...wantedByVariant].map(([variantId, wanted]) => ({
      sku: order.lines.find((l) => l.variantId === variantId)!.sku,
      wanted,
      available: units.get(stockKey(variantId, loc.id)) ?? 0,
    }));
    for (const s of stock) if (s.available < s.wanted) limits.push(`${s.sku}: ${s.available} of ${s.wanted} in stock`);
    const coverable = full.reduce((s, t) => s + t.quantity, 0);
    const ranked: RankedCandidate = { locationId: loc.id, priority: loc.priority, distanceKm, quote, coverableUnits: coverable };
    return { loc, refusals, limits, ranked, stock, shipsAll: refusals.length === 0 && coverable === totalUnits };
  });

  const eligible = facts.filter((f) => f.refusals.length === 0);
  const rankedEligible = [...eligible].sort((a, b) => compareCandidates(strategy, a.ranked, b.ranked));
  const rankOf = new Map(rankedEligible.map((f, i) => [f.loc.id, i + 1]));

  const parts = new Map<string, PartLine[]>();
  let why: string;
  const whole = rankedEligible.find((f) => f.shipsAll);
  const shortfalls: { line: RoutingLine; missing: number }[] = [];
  if (whole) {
    parts.set(whole.loc.id, order.lines.map((l) => ({ key: l.key, variantId: l.variantId, sku: l.sku, quantity: l.quantity, backordered: 0 })));
    why = `${whole.loc.id}: ${strategy.why(whole.ranked)}; it can ship every line`;
  } else {
    const left = new Map(units);
    const remaining = new Map(order.lines.map((l) => [l.key, l.quantity]));
    for (;;) {
      const open = order.lines.filter((l) => remaining.get(l.key)! > 0);
      if (open.length === 0) break;
      let pick: { f: (typeof facts)[number]; takes: { line: RoutingLine; quantity: number }[] } | null = null;
      for (const f of rankedEligible) {
        if (parts.has(f.loc.id)) continue;
        const takes = takeFrom(f.loc, open, remaining, left);
        const n = takes.reduce((s, t) => s + t.quantity, 0);
        if (n === 0) continue;
        if (strategy.split === 'rank') {
          pick = { f, takes };
          break;
        }
        if (!pick || n > pick.takes.reduce((s, t) => s + t.quantity, 0)) pick = { f, takes };
      }
      if (!pick) break;
      parts.set(
        pick.f.loc.id,
        pick.takes.map((t) => ({ key: t.line.key, variantId: t.line.variantId, sku: t.line.sku, quantity: t.quantity, backordered: 0 })),
      );
      for (const t of pick.takes) {
        remaining.set(t.line.key, remaining.get(t.line.key)! - t.quantity);
        const k = stockKey(t.line.variantId, pick.f.loc.id);
        left.set(k, left.get(k)! - t.quantity);
      }
    }
    for (const l of order.lines) if (remaining.get(l.key)! > 0) shortfalls.push({ line: l, missing: remaining.get(l.key)! });
    why =
      parts.size > 0
        ? `no eligible location can ship everything; split ${strategy.split === 'rank' ? `in ${strategy.summary} order` : 'taking the location that covers most of what is left first'}: ${[...parts.keys()].join(', ')}`
        : 'no eligible location holds any of the order';
  }

  // A backorderable shortfall waits at the best-ranked location that could ship the line.
  const refusedShortfalls: { line: RoutingLine; missing: number }[] = [];
  for (const s of shortfalls) {
    const home = s.line.backorderPolicy === 'allow'
      ? ([...parts.keys()].map((id) => rankedEligible.find((f) => f.loc.id === id)!).find((f) => canCarry(f.loc, s.line)) ??
        rankedEligible.find((f) => canCarry(f.loc, s.line)))
      : undefined;
    if (!home) {
      refusedShortfalls.push(s);
      continue;
    }
    const lines = parts.get(home.loc.id) ?? [];
    const existing = lines.find((p) => p.key === s.line.key);
    if (existing) existing.backordered += s.missing;
    else lines.push({ key: s.line.key, variantId: s.line.variantId, sku: s.line.sku, quantity: 0, backordered: s.missing });
    parts.set(home.loc.id, lines);
    why += `; ${s.missing} x ${s.line.sku} backordered at ${home.loc.id} (backorder allowed)`;
  }

  const lineByKey = new Map(order.lines.map((l) => [l.key, l]));
  const decisionParts: DecisionPart[] = [...parts].map(([locationId, lines]) => {
    const loc = locations.find((l) => l.id === locationId)!;
    const parcel = parcelOf(lines.map((p) => ({ line: lineByKey.get(p.key)!, quantity: p.quantity + p.backordered })));
    const request: QuoteRequest = { locationId, from: loc, to: order.destination, parcel, serviceLevel: order.serviceLevel };
    // A split part is priced by the rate card for its own parcel: the carrier quotes were for the whole order.
    const quote = (whole ? input.quotes?.get(locationId) : null) ?? estimateQuote(request)[0]!;
    const transitDays = quote.transitDays ?? estimatedTransitDays(zoneOf(request) ?? 8, order.serviceLevel);
    const promise = promisedDeliveryDate({
      now: input.now,
      cutoffTime: loc.cutoffTime,
      timeZone: loc.timeZone,
      handlingDays: loc.handlingDays,
      transitDays,
    });
    return {
      locationId,
      lines,
      weightGrams: parcel.weightGrams,
      quote: { ...quote, transitDays },
      shipsOn: promise.shipsOn,
      deliversOn: promise.deliversOn,
      promisedAt: promise.promisedAt.toISOString(),
      afterCutoff: promise.afterCutoff,
    };
  });
  const promised = decisionParts.map((p) => p.promisedAt).sort().at(-1) ?? null;

  const explanation: RoutingExplanation = {
    strategy: strategy.code,
    strategySummary: strategy.summary,
    serviceLevel: order.serviceLevel,
    rules: matching.rules,
    outcome,
    forcedLocations: forced,
    candidates: facts.map((f) => ({
      locationId: f.loc.id,
      name: f.loc.name,
      eligible: f.refusals.length === 0,
      refusals: f.refusals,
      limits: f.limits,
      stock: f.stock,
      shipsAll: f.shipsAll,
      distanceKm: f.ranked.distanceKm === null ? null : Math.round(f.ranked.distanceKm),
      quote: f.ranked.quote,
      rank: rankOf.get(f.loc.id) ?? null,
    })),
    parts: decisionParts,
    winner: { locations: [...parts.keys()], why },
    promisedDeliveryAt: promised,
    totalCost: decisionParts.reduce((s, p) => s + Math.round(p.quote.amount * 100), 0) / 100,
    costCurrency: decisionParts[0]?.quote.currency ?? 'USD',
    estimated: decisionParts.some((p) => p.quote.estimate),
    decidedAt: input.now.toISOString(),
  };

  if (refusedShortfalls.length > 0) {
    const s = refusedShortfalls[0]!;
    const wanted = wantedByVariant.get(s.line.variantId)!;
    const available = eligible.reduce((sum, f) => sum + (units.get(stockKey(s.line.variantId, f.loc.id)) ?? 0), 0);
    const stockShort = available < wanted;
    explanation.winner = { locations: [], why: stockShort ? `${s.line.sku} is short` : `${s.line.sku} cannot ship from any eligible location` };
    return stockShort
      ? {
          ok: false,
          code: 'insufficient_stock',
          message: `Not enough stock available for ${s.line.sku} (wanted ${wanted}, available ${available})`,
          sku: s.line.sku,
          explanation,
        }
      : {
          ok: false,
          code: 'unroutable',
          message: `No eligible location can ship ${s.line.sku}: ${facts.map((f) => `${f.loc.id} (${[...f.refusals, ...f.limits].join('; ') || 'no room left'})`).join(', ')}`,
          sku: s.line.sku,
          explanation,
        };
  }
  if (decisionParts.length > outcome.maxSplits) {
    explanation.winner = { locations: [], why: `needs ${decisionParts.length} shipments, over the cap of ${outcome.maxSplits}` };
    return {
      ok: false,
      code: 'unroutable',
      sku: null,
      message: `Order cannot ship in at most ${outcome.maxSplits} shipment${outcome.maxSplits === 1 ? '' : 's'} (cap from ${outcome.maxSplitsFrom}); it would need ${decisionParts.length}: ${decisionParts.map((p) => p.locationId).join(', ')}`,
      explanation,
    };
  }
  return { ok: true, explanation };
}

function canCarry(loc: Location, line: RoutingLine): boolean {
  return !line.hazmat || loc.hazmat;
}

/** What one location can take of the open lines: stock left, hazmat, and its weight limit. */
function takeFrom(
  loc: Location,
  lines: RoutingLine[],
  remaining: Map<string, number>,
  left: Map<string, number>,
): { line: RoutingLine; quantity: number }[] {
  let room = loc.maxWeightGrams ?? Number.POSITIVE_INFINITY;
  const used = new Map<string, number>();
  const takes: { line: RoutingLine; quantity: number }[] = [];
  for (const line of lines) {
    if (!canCarry(loc, line)) continue;
    const k = stockKey(line.variantId, loc.id);
    const free = (left.get(k) ?? 0) - (used.get(k) ?? 0);
    const byWeight = line.weightGrams > 0 ? Math.floor(room / line.weightGrams) : Number.POSITIVE_INFINITY;
    const quantity = Math.max(0, Math.min(remaining.get(line.key) ?? 0, free, byWeight));
    if (quantity === 0) continue;
    used.set(k, (used.get(k) ?? 0) + quantity);
    room -= quantity * line.weightGrams;
    takes.push({ line, quantity });
  }
  return takes;
}
