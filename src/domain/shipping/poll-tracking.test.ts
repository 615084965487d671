import { expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { seedShippingLocations } from '../../../test/support/seed-shipping-locations.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { MemorySandboxLabelStore } from '../../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../connectors/carriers/sandbox-carrier.js';
import type { Actor } from '../actor.js';
import { createOrder } from '../orders/create-order.js';
import { loadOrder } from '../orders/order-repository.js';
import { fulfilOrder } from './fulfil-order.js';
import { pollTracking } from './poll-tracking.js';
import { findShipment } from './shipment-repository.js';

const actor: Actor = { kind: 'job', id: 'tracking-poll' };
const HOUR = 3_600_000;

describeEachDb('pollTracking', (ctx) => {
  let clock = new Date('2026-03-02T15:00:00Z');
  const sandbox = new SandboxCarrier({ clock: () => clock, store: new MemorySandboxLabelStore() });

  it('asks the carrier about shipments without news, applies what it says, and leaves fresh ones alone', async () => {
    await seedTestCatalog(ctx.db, 'p-poll', [{ sku: 'POLL-TEE', price: '20.00', stock: { 'loc-east-wh': 10 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300 WHERE id = 'v-POLL-TEE'`);
    await seedShippingLocations(ctx.db);
    const place = async (n: number) =>
      (
        await createOrder(
          ctx.db,
          {
            channel: 'api',
            external_id: `poll-${n}`,
            customer: { email: 'poll.buyer@example.com', first_name: 'Poll', last_name: 'Buyer' },
            shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
            lines: [{ sku: 'POLL-TEE', quantity: 1 }],
            payment: { method: 'card' },
          },
          { kind: 'api', id: 'test' },
        )
      ).order;
    const old = await place(1);
    const oldShipment = (await fulfilOrder(ctx.db, [sandbox], old.id, actor, { now: clock })).shipments[0]!;
    clock = new Date(clock.getTime() + 10 * 24 * HOUR);
    const fresh = await place(2);
    const freshShipment = (await fulfilOrder(ctx.db, [sandbox], fresh.id, actor, { now: clock })).shipments[0]!;

    const first = await pollTracking(ctx.db, [sandbox], actor, { staleHours: 6, now: clock });
    expect(first.failures).toEqual([]);
    expect(first.polled).toBe(1);
    expect((await findShipment(ctx.db, oldShipment.id))!.status).toBe('delivered');
    expect((await loadOrder(ctx.db, old.id))!.status).toBe('delivered');
    expect((await findShipment(ctx.db, freshShipment.id))!.status).toBe('pre_transit');

    // Asked again at once: the delivered one is closed, the fresh one had news (its label) too recently.
    expect((await pollTracking(ctx.db, [sandbox], actor, { staleHours: 6, now: clock })).polled).toBe(0);
    const later = new Date(clock.getTime() + 8 * HOUR);
    clock = later;
    const second = await pollTracking(ctx.db, [sandbox], actor, { staleHours: 6, now: later });
    expect(second.polled).toBe(1);
    expect((await findShipment(ctx.db, freshShipment.id))!.status).toBe('in_transit');
    expect((await loadOrder(ctx.db, fresh.id))!.status).toBe('shipped');
  });
});
