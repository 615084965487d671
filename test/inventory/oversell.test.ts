import { expect, it } from 'vitest';
import { systemActor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/domain-error.js';
import { readStockLevels } from '../../src/domain/inventory/lock-stock-levels.js';
import { reserve, reserveMany } from '../../src/domain/inventory/reserve.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const STOCK = { 'loc-east-store': 20, 'loc-east-wh': 15, 'loc-west-3pl': 10, 'loc-west-wh': 5 } as const;
const LOCATIONS = Object.keys(STOCK);
const ATTEMPTS = 1_000;
const actor = systemActor('oversell-test');

// 32 connections on PostgreSQL so a thousand transactions really queue on the same level rows.
describeEachDb(
  'oversell: 1,000 concurrent reservations for 50 units at 4 locations',
  (ctx) => {
    it('reserves exactly 50, never goes negative, and the ledger sums to the levels', async () => {
      await seedTestCatalog(ctx.db, 'p-hot', [{ sku: 'HOT-1', price: '19.00', stock: { ...STOCK } }]);
      await ctx.db.query(`INSERT INTO customers (id, first_name, last_name, email) VALUES ('c-rush', 'Rush', 'Buyer', 'rush@example.com')`);
      await ctx.db.query(
        `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
         SELECT '#R' || lpad(i::text, 6, '0'), 'c-rush', 'R' || i, 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207'
           FROM generate_series(1, $1) AS i`,
        [ATTEMPTS],
      );

      let minAvailable = Number.POSITIVE_INFINITY;
      let running = true;
      const watcher = (async () => {
        while (running) {
          for (const l of await readStockLevels(ctx.db, ['v-HOT-1'])) minAvailable = Math.min(minAvailable, l.available);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();

      // Three in four ask for one unit at one location; one in four asks for a unit at two
      // locations at once (all or none), so lock ordering across rows is exercised too.
      const attempts = Array.from({ length: ATTEMPTS }, (_, i) => {
        const orderId = `#R${String(i + 1).padStart(6, '0')}`;
        const at = LOCATIONS[i % 4]!;
        if (i % 4 === 3) {
          const other = LOCATIONS[(i + 1) % 4]!;
          return reserveMany(ctx.db, {
            orderId,
            actor,
            items: [
              { variantId: 'v-HOT-1', locationId: at, quantity: 1 },
              { variantId: 'v-HOT-1', locationId: other, quantity: 1 },
            ],
          }).then((ids) => ids.length * 1);
        }
        return reserve(ctx.db, { variantId: 'v-HOT-1', locationId: at, quantity: 1, orderId, actor }).then(() => 1);
      });
      const outcomes = await Promise.allSettled(attempts);
      running = false;
      await watcher;

      const refused = outcomes.filter((o) => o.status === 'rejected');
      // Every refusal is the expected "not enough stock", never a deadlock or a serialization failure.
      for (const r of refused) {
        expect(isDomainError(r.reason) && r.reason.code === 'insufficient_stock', String(r.reason)).toBe(true);
      }
      const unitsGranted = outcomes.reduce((sum, o) => sum + (o.status === 'fulfilled' ? o.value : 0), 0);
      expect(unitsGranted).toBe(50);

      const levels = await readStockLevels(ctx.db, ['v-HOT-1']);
      expect(levels.map((l) => [l.locationId, l.onHand, l.reserved, l.available])).toEqual(
        LOCATIONS.map((id) => [id, STOCK[id as keyof typeof STOCK], STOCK[id as keyof typeof STOCK], 0]),
      );
      const reserved = await ctx.db.query<{ units: number; orders: number }>(
        `SELECT sum(quantity)::int AS units, count(DISTINCT order_id)::int AS orders FROM reservations WHERE variant_id = 'v-HOT-1' AND status = 'active'`,
      );
      expect(reserved.rows[0]!.units).toBe(50);
      expect(minAvailable).toBeGreaterThanOrEqual(0);

      const drift = await ctx.db.query(
        `SELECT l.location_id FROM inventory_levels l
          WHERE l.variant_id = 'v-HOT-1'
            AND (l.on_hand < 0 OR l.on_hand <> (SELECT COALESCE(sum(m.quantity), 0) FROM inventory_movements m
                                                 WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id))`,
      );
      expect(drift.rows).toEqual([]);
      // A refused multi-item request left no partial reservation behind.
      const partial = await ctx.db.query(
        `SELECT order_id FROM reservations r JOIN (VALUES ${Array.from({ length: ATTEMPTS / 4 }, (_, k) => `('#R${String(4 * k + 4).padStart(6, '0')}')`).join(',')}) AS m(id)
             ON m.id = r.order_id GROUP BY order_id HAVING count(*) <> 2`,
      );
      expect(partial.rows).toEqual([]);
    }, 180_000);
  },
  { poolSize: 32 },
);
