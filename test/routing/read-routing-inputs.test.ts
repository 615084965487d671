import { expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { readStockLevels } from '../../src/domain/inventory/lock-stock-levels.js';
import { listLocations } from '../../src/domain/inventory/location-repository.js';
import { reserve } from '../../src/domain/inventory/reserve.js';
import { readRoutingInputs } from '../../src/domain/routing/read-routing-inputs.js';
import { createRoutingRule, listRoutingRules } from '../../src/domain/routing/routing-rule-repository.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'api', id: 'routing-inputs-test' };

describeEachDb('routing inputs read in one statement', (ctx) => {
  it('are what the separate readers return: levels with reservations and safety stock, every location, every rule in order', async () => {
    await seedTestCatalog(ctx.db, 'p-rri', [
      { sku: 'RRI-A', price: '5.00', stock: { 'loc-east-wh': 9, 'loc-west-wh': 4 } },
      { sku: 'RRI-B', price: '7.00', stock: { 'loc-west-3pl': 2 } },
      { sku: 'RRI-C', price: '7.00', stock: { 'loc-east-store': 1 } },
    ]);
    await seedShippingLocations(ctx.db);
    await ctx.db.query(`UPDATE locations SET latitude = 40.7, longitude = -74.1, max_weight_grams = 20000, services = ARRAY['standard','expedited'] WHERE id = 'loc-east-wh'`);
    await ctx.db.query(`UPDATE locations SET active = false WHERE id = 'loc-east-store'`);
    await ctx.db.query(`UPDATE variants SET safety_stock = 2 WHERE id = 'v-RRI-A'`);
    await ctx.db.query(`INSERT INTO customers (id, first_name, last_name, email) VALUES ('c-rri', 'Routing', 'Inputs', 'rri@example.com')`);
    await ctx.db.query(
      `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
       VALUES ('o-rri', 'c-rri', 'rri-1', 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207')`,
    );
    await reserve(ctx.db, { orderId: 'o-rri', actor, variantId: 'v-RRI-A', locationId: 'loc-east-wh', quantity: 3 });
    await createRoutingRule(ctx.db, { id: 'rri-z', name: 'Second', when: { orderValueMin: 100 }, then: { strategy: 'nearest' } }, actor);
    await createRoutingRule(ctx.db, { id: 'rri-a', name: 'First', when: { region: ['CA'] }, then: { excludedLocations: ['loc-east-store'] } }, actor);

    const ids = ['v-RRI-B', 'v-RRI-A', 'v-RRI-A', 'v-RRI-C'];
    const inputs = await readRoutingInputs(ctx.db, ids);
    expect(inputs.levels).toEqual(await readStockLevels(ctx.db, ids));
    expect(inputs.locations).toEqual(await listLocations(ctx.db));
    expect(inputs.rules).toEqual(await listRoutingRules(ctx.db));

    const east = inputs.levels.find((l) => l.variantId === 'v-RRI-A' && l.locationId === 'loc-east-wh');
    expect(east).toMatchObject({ onHand: 9, reserved: 3, available: 6, safetyStock: 2, promisable: 4 });
    expect(inputs.locations.find((l) => l.id === 'loc-east-wh')).toMatchObject({ latitude: 40.7, maxWeightGrams: 20000, services: ['standard', 'expedited'] });
    expect(inputs.locations.find((l) => l.id === 'loc-east-store')!.active).toBe(false);
    expect(inputs.rules.filter((r) => r.id.startsWith('rri-')).map((r) => r.name).length).toBe(2);
  });

  it('reads no levels for no variants, and still every location and rule', async () => {
    const inputs = await readRoutingInputs(ctx.db, []);
    expect(inputs.levels).toEqual([]);
    expect(inputs.locations).toEqual(await listLocations(ctx.db));
  });
});
