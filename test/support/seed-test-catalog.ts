import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { recordMovement } from '../../src/domain/inventory/record-movement.js';

export interface TestVariant {
  sku: string;
  price: string;
  /** Units received per location id. */
  stock?: Record<string, number>;
}

// Real postal codes, so routing measures real distances from them.
export const TEST_LOCATIONS = [
  { id: 'loc-east-store', name: 'Brooklyn store', kind: 'store', region: 'us-east', city: 'Brooklyn', state: 'NY', zip: '11211' },
  { id: 'loc-east-wh', name: 'Newark warehouse', kind: 'warehouse', region: 'us-east', city: 'Newark', state: 'NJ', zip: '07114' },
  { id: 'loc-west-3pl', name: 'Reno 3PL', kind: '3pl', region: 'us-west', city: 'Reno', state: 'NV', zip: '89502' },
  { id: 'loc-west-wh', name: 'Ontario warehouse', kind: 'warehouse', region: 'us-west', city: 'Ontario', state: 'CA', zip: '91761' },
] as const;

/**
 * A small catalog for inventory and order tests: the four test locations, one product per call
 * with the given variants, stock put in through receipt movements (the ledger, as in production).
 * Variant ids are `v-<sku>`. Safe to call more than once on one database with new SKUs.
 */
export async function seedTestCatalog(db: Db, productId: string, variants: TestVariant[]): Promise<void> {
  for (const l of TEST_LOCATIONS) {
    await db.query(
      `INSERT INTO locations (id, name, kind, region, country, city, state, zip) VALUES ($1, $2, $3, $4, 'USA', $5, $6, $7)
       ON CONFLICT DO NOTHING`,
      [l.id, l.name, l.kind, l.region, l.city, l.state, l.zip],
    );
  }
  await db.query(`INSERT INTO products (id, name, product_type) VALUES ($1, $2, 'test') ON CONFLICT DO NOTHING`, [
    productId,
    `Product ${productId}`,
  ]);
  for (const v of variants) {
    await db.query(
      `INSERT INTO variants (id, product_id, sku, options, price) VALUES ($1, $2, $3, $4, $5)`,
      [`v-${v.sku}`, productId, v.sku, JSON.stringify({ size: 'M' }), v.price],
    );
    for (const [locationId, qty] of Object.entries(v.stock ?? {})) {
      if (qty > 0) {
        await recordMovement(db, {
          variantId: `v-${v.sku}`,
          locationId,
          quantity: qty,
          kind: 'receipt',
          reason: 'test stock',
          actor: systemActor('test'),
        });
      }
    }
  }
}

/** A bare pending order (and its customer) for reservation tests that do not go through createOrder. */
export async function insertTestOrder(db: Db, orderId: string): Promise<void> {
  await db.query(
    `INSERT INTO customers (id, first_name, last_name, email) VALUES ('c-test', 'Test', 'Buyer', 'test.buyer@example.com')
     ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
     VALUES ($1, 'c-test', $1, 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207')`,
    [orderId],
  );
}
