import type { Db } from '../src/db/db.js';
import { systemActor } from '../src/domain/actor.js';
import { recordMovement } from '../src/domain/inventory/record-movement.js';
import { holdOrder } from '../src/domain/orders/hold-order.js';
import { AGENT_FIXTURE, seedAgentFixture } from '../test/support/agent-fixture.js';

/**
 * The store the customer, ops and security suites run against: the agent test fixture (four
 * customers, a T-shirt and a desk lamp, orders in every state), stock at two locations, and one
 * order already on hold the way the anomaly detector leaves it.
 */
export async function seedEvalStore(db: Db): Promise<void> {
  await seedAgentFixture(db);
  for (const [id, name, region] of [
    ['loc-east', 'Newark warehouse', 'us-east'],
    ['loc-west', 'Reno warehouse', 'us-west'],
  ] as const) {
    await db.query(`INSERT INTO locations (id, name, kind, region, country) VALUES ($1, $2, 'warehouse', $3, 'USA')`, [id, name, region]);
  }
  let n = 0;
  for (const product of Object.values(AGENT_FIXTURE.products)) {
    for (const variant of Object.keys(product.variants)) {
      n++;
      for (const [location, qty] of [
        ['loc-east', 5 + (n % 4) * 3],
        ['loc-west', 2 + (n % 3)],
      ] as const) {
        await recordMovement(db, { variantId: variant, locationId: location, quantity: qty, kind: 'receipt', reason: 'eval stock', actor: systemActor('evals') });
      }
    }
  }
  await holdOrder(db, { orderId: '#W2000003', reason: 'risk score 0.91: new device, mismatched billing country' }, systemActor('anomaly'));
}
