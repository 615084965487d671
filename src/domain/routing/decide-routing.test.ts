import { describe, expect, it } from 'vitest';
import { testLine, testLocation, testOrder } from '../../../test/support/routing-fixtures.js';
import { decideRouting, type CandidateStock, type DecideRoutingInput } from './decide-routing.js';
import type { RoutingRule } from './routing-rule.js';
import type { ShippingQuote } from './shipping-quoter.js';

const NJ = testLocation('nj', { latitude: 40.72, longitude: -74.15, priority: 20 });
const CHI = testLocation('chi', { latitude: 41.88, longitude: -87.63, priority: 10 });
const CA = testLocation('ca', { latitude: 34.03, longitude: -117.6, priority: 30, timeZone: 'America/Los_Angeles' });
const LOCATIONS = [NJ, CHI, CA];
const NOW = new Date('2026-03-03T15:00:00Z'); // a Tuesday, 10:00 in New York

const stock = (rows: Record<string, Record<string, number>>): CandidateStock[] =>
  Object.entries(rows).flatMap(([sku, at]) => Object.entries(at).map(([locationId, units]) => ({ variantId: `v-${sku}`, locationId, units })));

const rule = (id: string, position: number, conditions: RoutingRule['conditions'], outcome: RoutingRule['outcome']): RoutingRule => ({
  id,
  position,
  name: id,
  enabled: true,
  conditions,
  outcome,
  source: 'api',
});

function decide(over: Partial<DecideRoutingInput> & Pick<DecideRoutingInput, 'order' | 'stock'>) {
  return decideRouting({ locations: LOCATIONS, rules: [], defaults: { strategy: 'fewest_shipments', maxSplits: 3 }, now: NOW, ...over });
}

function ok(result: ReturnType<typeof decide>) {
  if (!result.ok) throw new Error(`expected a decision, got ${result.message}`);
  return result.explanation;
}

const ALL_EVERYWHERE = stock({ TEE: { nj: 5, chi: 5, ca: 5 } });

describe('decideRouting strategies', () => {
  it('priority: the lowest priority number that can ship everything, explained', () => {
    const e = ok(decide({ order: testOrder([testLine('TEE', 2)]), stock: ALL_EVERYWHERE, rules: [rule('p', 10, {}, { strategy: 'priority' })] }));
    expect(e.winner.locations).toEqual(['chi']);
    expect(e.strategy).toBe('priority');
    expect(e.winner.why).toContain('first in the priority list (priority 10');
    expect(e.candidates.map((c) => [c.locationId, c.rank, c.shipsAll])).toEqual([
      ['ca', 3, true],
      ['chi', 1, true],
      ['nj', 2, true],
    ]);
  });

  it('nearest: the closest location with full stock, skipping a nearer one that is short', () => {
    const e = ok(decide({ order: testOrder([testLine('TEE', 2)]), stock: ALL_EVERYWHERE, rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(e.winner.locations).toEqual(['nj']);
    expect(e.winner.why).toMatch(/nearest to the destination \(\d+ km away\)/);
    const nj = e.candidates.find((c) => c.locationId === 'nj')!;
    expect(nj.distanceKm).toBeLessThan(30);
    expect(e.candidates.find((c) => c.locationId === 'ca')!.distanceKm).toBeGreaterThan(3500);

    const short = ok(decide({ order: testOrder([testLine('TEE', 2)]), stock: stock({ TEE: { nj: 1, chi: 5, ca: 5 } }), rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(short.winner.locations).toEqual(['chi']);
    expect(short.candidates.find((c) => c.locationId === 'nj')).toMatchObject({ shipsAll: false, limits: ['TEE: 1 of 2 in stock'] });
  });

  it('lowest_cost: the cheapest carrier quote wins, and a missing quote falls back to the labelled estimate', () => {
    const quote = (amount: number): ShippingQuote => ({ amount, currency: 'USD', transitDays: 3, carrier: 'UPS', service: 'Ground', estimate: false });
    const quotes = new Map<string, ShippingQuote | null>([['nj', quote(9.5)], ['chi', quote(7.25)], ['ca', quote(12)]]);
    const e = ok(decide({ order: testOrder([testLine('TEE', 1)]), stock: ALL_EVERYWHERE, quotes, rules: [rule('c', 10, {}, { strategy: 'lowest_cost' })] }));
    expect(e.winner.locations).toEqual(['chi']);
    expect(e.winner.why).toContain('cheapest shipping: 7.25 USD (UPS Ground)');
    expect(e.totalCost).toBe(7.25);
    expect(e.estimated).toBe(false);

    const estimated = ok(decide({ order: testOrder([testLine('TEE', 1)]), stock: ALL_EVERYWHERE, rules: [rule('c', 10, {}, { strategy: 'lowest_cost' })] }));
    expect(estimated.winner.locations).toEqual(['nj']);
    expect(estimated.winner.why).toContain('estimated from the zone rate card, not a carrier quote');
    expect(estimated.estimated).toBe(true);
  });

  it('fewest_shipments: one parcel from a far location beats two from near ones', () => {
    const order = testOrder([testLine('TEE', 1), testLine('MUG', 1)]);
    const e = ok(decide({ order, stock: stock({ TEE: { nj: 1, ca: 1 }, MUG: { chi: 1, ca: 1 } }) }));
    expect(e.winner.locations).toEqual(['ca']);
    expect(e.outcome.strategyFrom).toBe('default');
    expect(e.parts).toHaveLength(1);
  });
});

describe('decideRouting splits', () => {
  const order = testOrder([testLine('TEE', 1), testLine('MUG', 1), testLine('CAP', 1)]);
  const spread = stock({ TEE: { nj: 1 }, MUG: { chi: 1 }, CAP: { ca: 1 } });

  it('splits when no location can ship everything, each part where it ships from, with its own promise', () => {
    const e = ok(decide({ order, stock: spread }));
    expect(e.parts.map((p) => [p.locationId, p.lines.map((l) => `${l.quantity}x${l.sku}`)])).toEqual([
      ['nj', ['1xTEE']],
      ['chi', ['1xMUG']],
      ['ca', ['1xCAP']],
    ]);
    expect(e.winner.why).toContain('no eligible location can ship everything');
    expect(e.promisedDeliveryAt).toBe([...e.parts.map((p) => p.promisedAt)].sort().at(-1));
  });

  it('refuses beyond the cap, naming the cap and where it came from (config or rule)', () => {
    const byConfig = decide({ order, stock: spread, defaults: { strategy: 'fewest_shipments', maxSplits: 2 } });
    expect(byConfig).toMatchObject({ ok: false, code: 'unroutable' });
    expect(!byConfig.ok && byConfig.message).toBe('Order cannot ship in at most 2 shipments (cap from default); it would need 3: nj, chi, ca');
    const byRule = decide({ order, stock: spread, rules: [rule('one-box', 10, {}, { maxSplits: 1 })] });
    expect(!byRule.ok && byRule.message).toContain('at most 1 shipment (cap from one-box)');
  });

  it('splits one line across locations when none holds all of it', () => {
    const e = ok(decide({ order: testOrder([testLine('TEE', 5)]), stock: stock({ TEE: { nj: 3, ca: 4 } }) }));
    expect(e.parts.map((p) => [p.locationId, p.lines[0]!.quantity])).toEqual([
      ['ca', 4],
      ['nj', 1],
    ]);
  });

  it('refuses a short SKU naming wanted and available', () => {
    const r = decide({ order: testOrder([testLine('TEE', 9)]), stock: stock({ TEE: { nj: 3, ca: 4 } }) });
    expect(r).toMatchObject({ ok: false, code: 'insufficient_stock', message: 'Not enough stock available for TEE (wanted 9, available 7)', sku: 'TEE' });
  });

  it('accepts a shortfall as backordered at the best location when the variant allows it', () => {
    const e = ok(decide({ order: testOrder([testLine('TEE', 9, { backorderPolicy: 'allow' })]), stock: stock({ TEE: { nj: 3, ca: 4 } }) }));
    expect(e.parts.map((p) => [p.locationId, p.lines[0]!.quantity, p.lines[0]!.backordered])).toEqual([
      ['ca', 4, 2],
      ['nj', 3, 0],
    ]);
    expect(e.winner.why).toContain('2 x TEE backordered at ca (backorder allowed)');
  });
});

describe('decideRouting capabilities', () => {
  it('only locations offering the service level; refusal explained', () => {
    const noOvernight = [testLocation('nj', { ...NJ, services: ['standard'] }), CHI, CA];
    const e = ok(decide({ locations: noOvernight, order: testOrder([testLine('TEE', 1)], { serviceLevel: 'overnight' }), stock: ALL_EVERYWHERE, rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(e.winner.locations).toEqual(['chi']);
    expect(e.candidates.find((c) => c.locationId === 'nj')).toMatchObject({ eligible: false, refusals: ['does not offer overnight service'] });
    expect(e.parts[0]!.quote.transitDays).toBe(1);
  });

  it('hazmat lines only from hazmat locations, splitting the rest where needed', () => {
    const locs = [testLocation('nj', { ...NJ, hazmat: false }), testLocation('chi', { ...CHI, hazmat: true }), CA];
    const order = testOrder([testLine('TEE', 1), testLine('FUEL', 1, { hazmat: true })]);
    const e = ok(decide({ locations: locs, order, stock: stock({ TEE: { nj: 1, chi: 1 }, FUEL: { nj: 1, chi: 1 } }), rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(e.winner.locations).toEqual(['chi']);
    expect(e.candidates.find((c) => c.locationId === 'nj')!.limits).toContain('cannot ship hazmat FUEL');
    const none = decide({ locations: [locs[0]!], order, stock: stock({ TEE: { nj: 1 }, FUEL: { nj: 1 } }) });
    expect(none).toMatchObject({ ok: false, code: 'unroutable' });
    expect(!none.ok && none.message).toContain('No eligible location can ship FUEL');
  });

  it('respects a maximum parcel weight', () => {
    const locs = [testLocation('nj', { ...NJ, maxWeightGrams: 1000 }), CA];
    const e = ok(decide({ locations: locs, order: testOrder([testLine('TEE', 3)]), stock: stock({ TEE: { nj: 5, ca: 5 } }), rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(e.winner.locations).toEqual(['ca']);
    expect(e.candidates.find((c) => c.locationId === 'nj')!.limits).toContain('order weighs 1500 g, over its 1000 g limit');
    const split = ok(decide({ locations: locs, order: testOrder([testLine('TEE', 3)]), stock: stock({ TEE: { nj: 5, ca: 1 } }), rules: [rule('n', 10, {}, { strategy: 'nearest' })] }));
    expect(split.parts.map((p) => [p.locationId, p.lines[0]!.quantity])).toEqual([
      ['nj', 2],
      ['ca', 1],
    ]);
  });

  it('a forced reroute ignores the rules on eligibility', () => {
    const e = ok(decide({ order: testOrder([testLine('TEE', 1)]), stock: ALL_EVERYWHERE, forcedLocations: ['ca'], rules: [rule('east', 10, {}, { eligibleLocations: ['nj'] })] }));
    expect(e.winner.locations).toEqual(['ca']);
    expect(e.candidates.find((c) => c.locationId === 'nj')!.refusals).toEqual(['not among the locations the reroute forced']);
  });
});

describe('decideRouting conditions', () => {
  const base = testOrder([testLine('TEE', 1, { tags: ['fragile', 'glass'], priceCents: 30_000 })], {
    destination: { country: 'Canada', state: 'ON', zip: 'M5V 2T6' },
    channel: 'wholesale-portal',
    customerTags: ['vip'],
    serviceLevel: 'expedited',
  });
  const cases: [string, RoutingRule['conditions'], RoutingRule['conditions']][] = [
    ['country', { country: ['CA'] }, { country: ['US'] }],
    ['region', { region: ['on'] }, { region: ['QC'] }],
    ['postal prefix', { postalPrefix: ['m5v'] }, { postalPrefix: ['H2'] }],
    ['channel', { channel: ['wholesale-portal'] }, { channel: ['shopify'] }],
    ['order value min', { orderValueMin: 300 }, { orderValueMin: 300.01 }],
    ['order value max', { orderValueMax: 300 }, { orderValueMax: 299.99 }],
    ['service level', { serviceLevel: ['expedited', 'overnight'] }, { serviceLevel: ['standard'] }],
    ['variant tags any', { variantTagsAny: ['glass', 'liquid'] }, { variantTagsAny: ['liquid'] }],
    ['variant tags all', { variantTagsAll: ['glass', 'fragile'] }, { variantTagsAll: ['glass', 'liquid'] }],
    ['customer tags', { customerTags: ['vip'] }, { customerTags: ['wholesale'] }],
  ];
  for (const [kind, yes, no] of cases) {
    it(`${kind}: a matching rule decides, a non-matching one is explained and skipped`, () => {
      const rules = [rule('no', 10, no, { eligibleLocations: ['nj'] }), rule('yes', 20, yes, { eligibleLocations: ['ca'] })];
      const e = ok(decide({ order: base, stock: ALL_EVERYWHERE, rules }));
      expect(e.winner.locations).toEqual(['ca']);
      expect(e.outcome.eligibleFrom).toBe('yes');
      const [skipped, matched] = e.rules;
      expect(skipped).toMatchObject({ id: 'no', matched: false });
      expect(skipped!.why).toHaveLength(1);
      expect(matched).toMatchObject({ id: 'yes', matched: true });
      expect(matched!.why.length).toBeGreaterThan(0);
      expect(e.candidates.find((c) => c.locationId === 'nj')!.refusals).toEqual(['not eligible under rule yes']);
    });
  }

  it('first match wins per field, exclusions accumulate, disabled rules are ignored', () => {
    const rules = [
      { ...rule('off', 5, {}, { strategy: 'priority' as const }), enabled: false },
      rule('no-chi', 10, {}, { excludedLocations: ['chi'] }),
      rule('nearest', 20, {}, { strategy: 'nearest' }),
      rule('no-nj', 30, { country: ['CA'] }, { excludedLocations: ['nj'], strategy: 'priority' }),
    ];
    const e = ok(decide({ order: base, stock: ALL_EVERYWHERE, rules }));
    expect(e.rules.map((r) => r.id)).toEqual(['no-chi', 'nearest', 'no-nj']);
    expect(e.outcome).toMatchObject({ strategy: 'nearest', strategyFrom: 'nearest', excludedLocations: ['chi', 'nj'] });
    expect(e.winner.locations).toEqual(['ca']);
  });
});
