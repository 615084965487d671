import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/domain/actor.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { modifyPendingOrderAddress } from '../../src/domain/orders/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../../src/domain/orders/modify-pending-order-items.js';
import { setStockPolicy } from '../../src/domain/inventory/set-stock-policy.js';
import { rerouteOrder } from '../../src/domain/routing/reroute-order.js';
import { listRoutingDecisions } from '../../src/domain/routing/routing-decision-repository.js';
import { createRoutingRule } from '../../src/domain/routing/routing-rule-repository.js';
import { parseRoutingRulesYaml } from '../../src/domain/routing/routing-rules-file.js';
import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../../src/domain/routing/routing-settings.js';
import { formatRoutingSimulation, simulateRouting } from '../../src/domain/routing/simulate-routing.js';
import { buildServer } from '../../src/server/build-server.js';
import { routingRoutes } from '../../src/server/routes/routing-routes.js';
import { proposeRoutingRule } from '../../src/tools/propose-routing-rule.js';
import { countLedgerRows } from '../support/count-ledger-rows.js';
import { canonicalTestOrder } from '../support/routing-fixtures.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'api', id: 'test' };
// Tuesday 2026-03-03 15:00 UTC: after the test locations' 14:00 cut-off (they keep time in UTC).
const routing: RoutingSettings = { ...DEFAULT_ROUTING_SETTINGS, now: () => new Date('2026-03-03T15:00:00Z') };
const SEATTLE = { address1: '9 Pier Rd', city: 'Seattle', state: 'WA', country: 'USA', zip: '98101' };

const order = canonicalTestOrder;

const reservations = async (db: Parameters<typeof listRoutingDecisions>[0], orderId: string) =>
  (
    await db.query<{ variant_id: string; location_id: string; quantity: number }>(
      `SELECT variant_id, location_id, quantity FROM reservations WHERE order_id = $1 AND status = 'active' ORDER BY id`,
      [orderId],
    )
  ).rows.map((r) => [r.variant_id, r.location_id, r.quantity]);

describeEachDb('routing through the order flow', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-rt', [
      { sku: 'RT-TEE', price: '20.00', stock: { 'loc-east-wh': 20, 'loc-west-wh': 20 } },
      { sku: 'RT-TEE-L', price: '20.00', stock: { 'loc-east-wh': 20, 'loc-west-wh': 20 } },
      { sku: 'RT-MUG', price: '10.00', stock: { 'loc-east-store': 2, 'loc-west-3pl': 2, 'loc-west-wh': 1 } },
      { sku: 'RT-LAMP', price: '600.00', stock: { 'loc-east-store': 3, 'loc-west-wh': 3 } },
      { sku: 'RT-KEPT', price: '15.00', stock: { 'loc-east-wh': 3, 'loc-west-wh': 3 } },
    ]);
    app = buildServer({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), routes: [routingRoutes] });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await ctx.db.query('DELETE FROM routing_rules');
  });

  it('stores the decision with the matched rule, the service level and the promised date; a repeat adds nothing', async () => {
    await createRoutingRule(ctx.db, { id: 'big-not-store', name: 'Big orders not from the store', when: { orderValueMin: 500 }, then: { excludedLocations: ['loc-east-store'], strategy: 'nearest' } }, actor);
    const input = order('rt-1', [{ sku: 'RT-LAMP', quantity: 1 }], { service_level: 'expedited' });
    const { order: o } = await createOrder(ctx.db, input, actor, { routing });
    expect(o.lines.map((l) => l.locationId)).toEqual(['loc-west-wh']);

    const [d, ...none] = await listRoutingDecisions(ctx.db, o.id);
    expect(none).toEqual([]);
    expect(d).toMatchObject({ trigger: 'created', strategy: 'nearest', actor: 'api:test' });
    expect(d!.explanation.rules).toEqual([expect.objectContaining({ id: 'big-not-store', matched: true, why: ['order value 600.00 >= 500'] })]);
    expect(d!.explanation.candidates.find((c) => c.locationId === 'loc-east-store')).toMatchObject({ eligible: false, refusals: ['excluded by a matching rule'] });
    expect(d!.explanation.parts).toEqual([expect.objectContaining({ locationId: 'loc-west-wh', afterCutoff: true, shipsOn: '2026-03-04', deliversOn: '2026-03-09' })]);
    const stored = await ctx.db.query<{ service_level: string; promised_delivery_at: Date }>('SELECT service_level, promised_delivery_at FROM orders WHERE id = $1', [o.id]);
    expect(stored.rows[0]!.service_level).toBe('expedited');
    expect(new Date(stored.rows[0]!.promised_delivery_at).toISOString()).toBe(d!.promisedDeliveryAt);

    const before = await countLedgerRows(ctx.db);
    const again = await createOrder(ctx.db, input, actor, { routing });
    expect(again.created).toBe(false);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
    expect(await listRoutingDecisions(ctx.db, o.id)).toHaveLength(1);
  });

  it('never promises the safety stock a location keeps back', async () => {
    await setStockPolicy(ctx.db, { sku: 'RT-KEPT', safetyStock: 2 }, actor);
    // 3 on hand less 2 kept back leaves 1 per location: two units must split, a third cannot ship.
    const { order: o } = await createOrder(ctx.db, order('rt-kept-1', [{ sku: 'RT-KEPT', quantity: 2 }]), actor, { routing });
    expect(o.lines.map((l) => [l.locationId, l.quantity]).sort()).toEqual([['loc-east-wh', 1], ['loc-west-wh', 1]]);
    const before = await countLedgerRows(ctx.db);
    await expect(createOrder(ctx.db, order('rt-kept-2', [{ sku: 'RT-KEPT', quantity: 1 }]), actor, { routing })).rejects.toThrow(/RT-KEPT/);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('refuses an order over the split cap with the reason and writes nothing', async () => {
    await createRoutingRule(ctx.db, { id: 'one-box', name: 'One box', then: { maxSplits: 1 } }, actor);
    const before = await countLedgerRows(ctx.db);
    const err = await createOrder(ctx.db, order('rt-2', [{ sku: 'RT-MUG', quantity: 4 }]), actor, { routing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('unroutable');
    expect((err as DomainError).message).toContain('at most 1 shipment (cap from one-box)');
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('routes again when the address changes: reservations move and the decision says why', async () => {
    const { order: o } = await createOrder(ctx.db, order('rt-3', [{ sku: 'RT-TEE', quantity: 2 }]), actor, { routing });
    expect(await reservations(ctx.db, o.id)).toEqual([['v-RT-TEE', 'loc-east-wh', 2]]);
    const moved = await modifyPendingOrderAddress(ctx.db, { orderId: o.id, ...SEATTLE, address2: '' }, actor, { routing });
    expect(moved.lines.map((l) => [l.locationId, l.quantity])).toEqual([['loc-west-wh', 2]]);
    expect(await reservations(ctx.db, o.id)).toEqual([['v-RT-TEE', 'loc-west-wh', 2]]);
    const [latest, first] = await listRoutingDecisions(ctx.db, o.id);
    expect(latest!.trigger).toBe('address_changed');
    expect(first!.trigger).toBe('created');
    expect(latest!.explanation.winner.why).toContain('loc-west-wh: ships the most of the order from one place');
  });

  it('routes again when the lines change, and a forced reroute moves the order where it is told', async () => {
    const { order: o } = await createOrder(ctx.db, order('rt-4', [{ sku: 'RT-TEE', quantity: 1 }]), actor, { routing });
    const card = o.payments[0]!.paymentMethodId;
    await modifyPendingOrderItems(ctx.db, { orderId: o.id, itemIds: ['v-RT-TEE'], newItemIds: ['v-RT-TEE-L'], paymentMethodId: card }, actor, { routing });
    expect(await reservations(ctx.db, o.id)).toEqual([['v-RT-TEE-L', 'loc-east-wh', 1]]);
    expect((await listRoutingDecisions(ctx.db, o.id))[0]!.trigger).toBe('lines_changed');

    const { decision } = await rerouteOrder(ctx.db, { orderId: o.id, forcedLocations: ['loc-west-wh'], reason: 'Newark closed' }, actor, routing);
    expect(decision.winner.locations).toEqual(['loc-west-wh']);
    expect(await reservations(ctx.db, o.id)).toEqual([['v-RT-TEE-L', 'loc-west-wh', 1]]);
    expect((await listRoutingDecisions(ctx.db, o.id))[0]).toMatchObject({ trigger: 'reroute' });
    await expect(rerouteOrder(ctx.db, { orderId: o.id, forcedLocations: ['loc-mars'] }, actor, routing)).rejects.toThrow('unknown location loc-mars');
  });

  it('simulate replays a fixed history under new rules and prints what would change, writing nothing', async () => {
    const placed = (day: string) => ({ placed_at: `2025-01-${day}T15:00:00Z` });
    const a = await createOrder(ctx.db, order('rt-sim-1', [{ sku: 'RT-TEE', quantity: 1 }], placed('06')), actor, { routing });
    const b = await createOrder(ctx.db, order('rt-sim-2', [{ sku: 'RT-TEE', quantity: 1 }], { ...placed('07'), shipping_address: SEATTLE }), actor, { routing });
    const rules = parseRoutingRulesYaml('rules:\n  - { id: all-west, name: Everything from Ontario, then: { eligibleLocations: [loc-west-wh] } }').map((r) => ({ ...r, source: 'file' as const }));
    const before = await countLedgerRows(ctx.db);
    const sim = await simulateRouting(ctx.db, { rules, sinceDays: 30, now: new Date('2025-01-20T00:00:00Z'), settings: routing });
    expect(await countLedgerRows(ctx.db)).toEqual(before);
    expect(sim.orders).toBe(2);
    expect(sim.changed.map((c) => c.orderId)).toEqual([a.order.id]);
    expect(formatRoutingSimulation(sim).split('\n')).toEqual([
      'replayed 2 orders placed since 2024-12-21T00:00:00.000Z; 1 would change',
      `${a.order.id} (placed 2025-01-06)`,
      // Placed Monday after the cut-off: ships Tuesday; zone 2 from Newark (2 days), zone 8 from Ontario (5 days).
      '  before: RT-TEE@loc-east-wh; 1 shipment(s); 8.60; promised 2025-01-09',
      '  after:  RT-TEE@loc-west-wh; 1 shipment(s); 12.20; promised 2025-01-14',
      'totals: split orders 0 -> 0; shipping 19.60 -> 23.20; promised earlier 0, later 1; refused 0 -> 0',
    ]);
    expect(b.order.lines[0]!.locationId).toBe('loc-west-wh');
  });

  it('the API validates rules naming the field, and creates, lists, updates and deletes them', async () => {
    const send = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown) =>
      app.inject({ method, url, ...(payload ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) } : {}) });
    const bad = await send('POST', '/api/routing-rules', { name: 'x', when: { country: [] }, then: { strategy: 'fastest' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      { path: 'when.country', message: 'must list at least one value' },
      { path: 'then.strategy', message: expect.stringContaining('expected one of') },
    ]);
    const created = await send('POST', '/api/routing-rules', { name: 'Canada from Newark', when: { country: ['CA'] }, then: { eligibleLocations: ['loc-east-wh'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().rule).toMatchObject({ id: 'canada-from-newark', source: 'api', enabled: true });
    expect((await send('POST', '/api/routing-rules', { id: 'canada-from-newark', name: 'again', then: { strategy: 'nearest' } })).statusCode).toBe(409);
    const put = await send('PUT', '/api/routing-rules/canada-from-newark', { name: 'Canada from Newark', enabled: false, then: { eligibleLocations: ['loc-east-wh'] } });
    expect(put.json().rule).toMatchObject({ enabled: false, conditions: {} });
    expect((await send('PUT', '/api/routing-rules/nope', { name: 'n', then: { strategy: 'nearest' } })).statusCode).toBe(404);
    expect((await send('PUT', '/api/routing-rules/canada-from-newark', { name: 'n', then: {} })).json().issues).toEqual([
      { path: 'then', message: 'must set at least one of eligibleLocations, excludedLocations, strategy, maxSplits' },
    ]);
    expect((await send('GET', '/api/routing-rules')).json().rules.map((r: { id: string }) => r.id)).toEqual(['canada-from-newark']);
    expect((await send('DELETE', '/api/routing-rules/canada-from-newark')).statusCode).toBe(204);
    expect((await send('DELETE', '/api/routing-rules/canada-from-newark')).statusCode).toBe(404);
  });

  it('propose_routing_rule previews the 30-day diff without writing, and inserts the rule when run', async () => {
    const toolCtx = { db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), actor, persona: 'ops' as const };
    const args = proposeRoutingRule.input.parse({ name: 'New York from Ontario', when: { region: ['NY'] }, then: { eligibleLocations: ['loc-west-wh'] } });
    await createOrder(ctx.db, order('rt-prop-1', [{ sku: 'RT-TEE', quantity: 1 }]), actor);
    const before = await countLedgerRows(ctx.db);
    const preview = await proposeRoutingRule.preview!(args, toolCtx);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
    expect(preview.summary).toMatch(/^add routing rule "New York from Ontario" at position 10: of \d+ orders in the last 30 days, [1-9]\d* would route differently/);
    expect(preview.changes[0]).toMatchObject({ field: 'routing rule', after: { when: { region: ['NY'] } } });
    expect(preview.changes.slice(1).some((c) => String(c.after).includes('RT-TEE@loc-west-wh'))).toBe(true);
    await expect(proposeRoutingRule.preview!({ ...(args as object), then: { strategy: 'teleport' } }, toolCtx)).rejects.toThrow('then.strategy');
    expect(await proposeRoutingRule.run(args, toolCtx)).toMatchObject({ rule: { id: 'new-york-from-ontario', source: 'api' } });
  });
});
