import { expect, it } from 'vitest';
import { countStatements } from '../../src/db/statement-counting-db.js';
import type { Actor } from '../../src/domain/actor.js';
import type { CanonicalOrder } from '../../src/domain/orders/canonical-order.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'api', id: 'statements-test' };

const order = (externalId: string, email: string, lines: CanonicalOrder['lines']): CanonicalOrder => ({
  channel: 'api',
  external_id: externalId,
  customer: { email, first_name: 'Grace', last_name: 'Hopper' },
  shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
  lines,
  payment: { method: 'card' },
});

// Round trips are what an order costs the database under load; these bounds keep a new
// statement on the intake path a visible decision rather than a drift.
describeEachDb('statements per order', (ctx) => {
  it('takes a three-line order from a new buyer in a bounded number of statements, and a repeat in fewer', async () => {
    await seedTestCatalog(ctx.db, 'p-st', [
      { sku: 'ST-A', price: '10.00', stock: { 'loc-east-wh': 50, 'loc-west-wh': 50 } },
      { sku: 'ST-B', price: '12.00', stock: { 'loc-east-wh': 50 } },
      { sku: 'ST-C', price: '14.00', stock: { 'loc-east-store': 50, 'loc-west-3pl': 50 } },
    ]);
    const { db, log } = countStatements(ctx.db);
    const lines = [
      { sku: 'ST-A', quantity: 2 },
      { sku: 'ST-B', quantity: 1 },
      { sku: 'ST-C', quantity: 1 },
    ];

    const first = await createOrder(db, order('st-1', 'new.buyer@example.com', lines), actor);
    expect(first.created).toBe(true);
    expect(first.order.lines).toHaveLength(3);
    const newBuyer = log.statements.length;

    log.clear();
    const second = await createOrder(db, order('st-2', 'new.buyer@example.com', lines), actor);
    expect(second.created).toBe(true);
    const knownBuyer = log.statements.length;
    const knownBuyerStatements = [...log.statements];

    log.clear();
    const repeat = await createOrder(db, order('st-2', 'new.buyer@example.com', lines), actor);
    expect(repeat.created).toBe(false);
    expect(repeat.order.id).toBe(second.order.id);
    const repeated = log.statements.length;

    // BEGIN, one read (a repeat, the catalog rows, the buyer, and what routing decides on: levels,
    // locations, rules), customer with card, the order with everything hanging off it, then the
    // level locks, one statement that checks and reserves under them, COMMIT.
    expect({ newBuyer, knownBuyer, repeated }).toEqual({ newBuyer: 7, knownBuyer: 6, repeated: 4 });
    // The stock locks are the last thing taken: nothing but the reservations' own statements after them.
    const lockAt = knownBuyerStatements.findIndex((s) => /FOR UPDATE OF l/.test(s));
    expect(lockAt).toBeGreaterThan(0);
    expect(knownBuyerStatements.slice(lockAt).map((s) => s.trim().split(/\s+/)[0])).toEqual(['SELECT', 'WITH', 'COMMIT']);
  });
});
