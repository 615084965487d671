import { fromCents } from '../money.js';
import { countryCode } from './country-code.js';
import { orderValueCents, type RoutingOrder } from './routing-order.js';
import type { RoutingConditions, RoutingOutcome, RoutingRule, RoutingStrategyCode } from './routing-rule.js';

export interface RuleMatch {
  id: string;
  name: string;
  position: number;
  matched: boolean;
  /** Each condition's verdict, in words; for a rule that did not match, the first that failed. */
  why: string[];
}

/** What the matching rules decided together, with the rule each part came from. */
export interface ResolvedOutcome {
  eligibleLocations: string[] | null;
  eligibleFrom: string | null;
  excludedLocations: string[];
  strategy: RoutingStrategyCode;
  strategyFrom: string;
  maxSplits: number;
  maxSplitsFrom: string;
}

export interface RuleMatching {
  rules: RuleMatch[];
  outcome: ResolvedOutcome;
}

/**
 * Enabled rules are read in position order. For eligibleLocations, strategy and maxSplits the
 * first matching rule that sets the field wins; excludedLocations accumulate over every
 * matching rule. A field no matching rule sets takes the default (every location, the default
 * strategy, the configured split cap).
 */
export function matchRoutingRules(
  rules: RoutingRule[],
  order: RoutingOrder,
  defaults: { strategy: RoutingStrategyCode; maxSplits: number },
): RuleMatching {
  const sorted = [...rules].filter((r) => r.enabled).sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  const matches: RuleMatch[] = [];
  const outcome: ResolvedOutcome = {
    eligibleLocations: null,
    eligibleFrom: null,
    excludedLocations: [],
    strategy: defaults.strategy,
    strategyFrom: 'default',
    maxSplits: defaults.maxSplits,
    maxSplitsFrom: 'default',
  };
  let strategySet = false;
  let splitsSet = false;
  for (const rule of sorted) {
    const verdict = checkConditions(rule.conditions, order);
    matches.push({ id: rule.id, name: rule.name, position: rule.position, matched: verdict.ok, why: verdict.why });
    if (!verdict.ok) continue;
    const o: RoutingOutcome = rule.outcome;
    if (o.eligibleLocations && outcome.eligibleLocations === null) {
      outcome.eligibleLocations = o.eligibleLocations;
      outcome.eligibleFrom = rule.id;
    }
    for (const loc of o.excludedLocations ?? []) if (!outcome.excludedLocations.includes(loc)) outcome.excludedLocations.push(loc);
    if (o.strategy && !strategySet) {
      outcome.strategy = o.strategy;
      outcome.strategyFrom = rule.id;
      strategySet = true;
    }
    if (o.maxSplits !== undefined && !splitsSet) {
      outcome.maxSplits = o.maxSplits;
      outcome.maxSplitsFrom = rule.id;
      splitsSet = true;
    }
  }
  return { rules: matches, outcome };
}

const upper = (s: string) => s.trim().toUpperCase();
const postal = (s: string) => s.replace(/\s+/g, '').toUpperCase();
const list = (values: readonly string[]) => values.join(', ');

function checkConditions(c: RoutingConditions, order: RoutingOrder): { ok: boolean; why: string[] } {
  const why: string[] = [];
  const test = (ok: boolean, yes: string, no: string): boolean => {
    if (!ok) {
      why.length = 0;
      why.push(no);
    } else why.push(yes);
    return ok;
  };
  const d = order.destination;
  const destCountry = countryCode(d.country) ?? upper(d.country);
  if (c.country && !test(c.country.some((x) => (countryCode(x) ?? upper(x)) === destCountry), `country ${destCountry} is in [${list(c.country)}]`, `country ${destCountry} is not in [${list(c.country)}]`)) return { ok: false, why };
  if (c.region && !test(c.region.some((x) => upper(x) === upper(d.state)), `region ${upper(d.state)} is in [${list(c.region)}]`, `region ${upper(d.state)} is not in [${list(c.region)}]`)) return { ok: false, why };
  if (c.postalPrefix && !test(c.postalPrefix.some((p) => postal(d.zip).startsWith(postal(p))), `postal code ${d.zip} starts with one of [${list(c.postalPrefix)}]`, `postal code ${d.zip} starts with none of [${list(c.postalPrefix)}]`)) return { ok: false, why };
  if (c.channel && !test(c.channel.includes(order.channel), `channel ${order.channel} is in [${list(c.channel)}]`, `channel ${order.channel} is not in [${list(c.channel)}]`)) return { ok: false, why };
  const value = orderValueCents(order);
  const shown = fromCents(value).toFixed(2);
  if (c.orderValueMin !== undefined && !test(value >= Math.round(c.orderValueMin * 100), `order value ${shown} >= ${c.orderValueMin}`, `order value ${shown} < ${c.orderValueMin}`)) return { ok: false, why };
  if (c.orderValueMax !== undefined && !test(value <= Math.round(c.orderValueMax * 100), `order value ${shown} <= ${c.orderValueMax}`, `order value ${shown} > ${c.orderValueMax}`)) return { ok: false, why };
  if (c.serviceLevel && !test(c.serviceLevel.includes(order.serviceLevel), `service level ${order.serviceLevel} is in [${list(c.serviceLevel)}]`, `service level ${order.serviceLevel} is not in [${list(c.serviceLevel)}]`)) return { ok: false, why };
  const tags = new Set(order.lines.flatMap((l) => l.tags));
  if (c.variantTagsAny && !test(c.variantTagsAny.some((t) => tags.has(t)), `a line is tagged one of [${list(c.variantTagsAny)}]`, `no line is tagged any of [${list(c.variantTagsAny)}]`)) return { ok: false, why };
  if (c.variantTagsAll) {
    const missing = c.variantTagsAll.filter((t) => !tags.has(t));
    if (!test(missing.length === 0, `the lines carry every tag of [${list(c.variantTagsAll)}]`, `no line is tagged [${list(missing)}]`)) return { ok: false, why };
  }
  if (c.customerTags && !test(c.customerTags.some((t) => order.customerTags.includes(t)), `customer is tagged one of [${list(c.customerTags)}]`, `customer is tagged none of [${list(c.customerTags)}]`)) return { ok: false, why };
  if (why.length === 0) why.push('no conditions: matches every order');
  return { ok: true, why };
}
