import { expect, it } from 'vitest';
import { seedShippingLocations } from '../../../test/support/seed-shipping-locations.js';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { MemorySandboxLabelStore } from '../../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../connectors/carriers/sandbox-carrier.js';
import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { cancelPendingOrder } from '../orders/cancel-pending-order.js';
import { createOrder } from '../orders/create-order.js';
import { fulfilOrder } from '../shipping/fulfil-order.js';
import { adjustStock } from './adjust-stock.js';
import { cancelTransfer } from './cancel-transfer.js';
import { countStock } from './count-stock.js';
import { receiveStock } from './receive-stock.js';
import { receiveTransfer } from './receive-transfer.js';
import { setStockPolicy } from './set-stock-policy.js';
import { transferStock } from './transfer-stock.js';

const actor: Actor = { kind: 'api', id: 'test' };
const T0 = new Date('2026-03-02T15:00:00Z');
const EAST = 'loc-east-wh';

async function lineState(db: Db, orderId: string, variantId: string) {
  const { rows } = await db.query<{ backordered: number; reserved: number }>(
    `SELECT ol.backordered_quantity AS backordered,
            (SELECT coalesce(sum(r.quantity), 0)::int FROM reservations r WHERE r.order_line_id = ol.id AND r.status = 'active') AS reserved
       FROM order_lines ol WHERE ol.order_id = $1 AND ol.variant_id = $2`,
    [orderId, variantId],
  );
  return rows[0]!;
}

/** The ledger explains every level, and no level promises more than it holds. */
async function expectLedgerConsistent(db: Db, variantId: string) {
  const { rows } = await db.query<{ on_hand: number; moved: number; reserved: number }>(
    `SELECT l.on_hand,
            (SELECT coalesce(sum(m.quantity), 0)::int FROM inventory_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id) AS moved,
            (SELECT coalesce(sum(r.quantity), 0)::int FROM reservations r WHERE r.variant_id = l.variant_id AND r.location_id = l.location_id AND r.status = 'active') AS reserved
       FROM inventory_levels l WHERE l.variant_id = $1`,
    [variantId],
  );
  for (const r of rows) {
    expect(r.moved).toBe(r.on_hand);
    expect(r.reserved).toBeLessThanOrEqual(r.on_hand);
  }
}

describeEachDb('fillBackorders: stock arriving is reserved for backordered lines', (ctx) => {
  let n = 0;
  async function placeOrder(sku: string, quantity: number, placedAt: string) {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `fb-${++n}`,
        customer: { email: 'fb.buyer@example.com', first_name: 'Fb', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku, quantity }],
        payment: { method: 'card' },
        placed_at: placedAt,
      },
      actor,
    );
    return order;
  }

  it('seeds', async () => {
    const skus = ['FB-A', 'FB-B', 'FB-C', 'FB-D', 'FB-E', 'FB-F'];
    await seedTestCatalog(ctx.db, 'p-fb', skus.map((sku) => ({ sku, price: '10.00', stock: { [EAST]: 1 } })));
    await ctx.db.query(`UPDATE variants SET weight_grams = 300, length_mm = 300, width_mm = 200, height_mm = 30 WHERE id LIKE 'v-FB-%'`);
    for (const sku of skus) await setStockPolicy(ctx.db, { sku, backorderPolicy: 'allow' }, actor);
    await seedShippingLocations(ctx.db);
    // One shipping location, so an order with nothing promisable is backordered there too.
    await ctx.db.query(`UPDATE locations SET active = false WHERE id <> $1`, [EAST]);
  });

  it('reserves arriving units for the backordered line, oldest order first, and writes one event per order', async () => {
    const first = await placeOrder('FB-A', 3, '2026-03-01T10:00:00Z');
    expect(await lineState(ctx.db, first.id, 'v-FB-A')).toEqual({ backordered: 2, reserved: 1 });
    const second = await placeOrder('FB-A', 2, '2026-03-01T11:00:00Z');
    expect(await lineState(ctx.db, second.id, 'v-FB-A')).toEqual({ backordered: 2, reserved: 0 });

    await receiveStock(ctx.db, { sku: 'FB-A', locationId: EAST, quantity: 1, reference: 'PO-1' }, actor);
    expect(await lineState(ctx.db, first.id, 'v-FB-A')).toEqual({ backordered: 1, reserved: 2 });
    expect(await lineState(ctx.db, second.id, 'v-FB-A')).toEqual({ backordered: 2, reserved: 0 });

    await receiveStock(ctx.db, { sku: 'FB-A', locationId: EAST, quantity: 5, reference: 'PO-2' }, actor);
    expect(await lineState(ctx.db, first.id, 'v-FB-A')).toEqual({ backordered: 0, reserved: 3 });
    expect(await lineState(ctx.db, second.id, 'v-FB-A')).toEqual({ backordered: 0, reserved: 2 });
    await expectLedgerConsistent(ctx.db, 'v-FB-A');

    // Two units were left over: nothing more is reserved than was owed.
    const { rows: free } = await ctx.db.query<{ free: number }>(
      `SELECT (l.on_hand - (SELECT sum(quantity) FROM reservations WHERE variant_id = l.variant_id AND location_id = l.location_id AND status = 'active'))::int AS free
         FROM inventory_levels l WHERE variant_id = 'v-FB-A' AND location_id = $1`,
      [EAST],
    );
    expect(free[0]!.free).toBe(2);

    const { rows: events } = await ctx.db.query<{ payload: { orderId: string } }>(
      `SELECT payload FROM outbox WHERE topic = 'order.backorder_filled' AND payload->>'variantId' = 'v-FB-A' ORDER BY id`,
    );
    expect(events.map((e) => e.payload.orderId)).toEqual([first.id, first.id, second.id]);
    const { rows: audits } = await ctx.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'inventory.backorder_filled' AND entity_id = $1`,
      [first.id],
    );
    expect(audits).toHaveLength(2);
  });

  it('never fills the backorder of a cancelled order', async () => {
    const gone = await placeOrder('FB-B', 3, '2026-03-01T09:00:00Z');
    const kept = await placeOrder('FB-B', 1, '2026-03-01T12:00:00Z');
    await cancelPendingOrder(ctx.db, { orderId: gone.id, reason: 'no longer needed' }, actor);
    await receiveStock(ctx.db, { sku: 'FB-B', locationId: EAST, quantity: 4 }, actor);
    expect(await lineState(ctx.db, gone.id, 'v-FB-B')).toMatchObject({ reserved: 0, backordered: 2 });
    expect(await lineState(ctx.db, kept.id, 'v-FB-B')).toEqual({ backordered: 0, reserved: 1 });
    await expectLedgerConsistent(ctx.db, 'v-FB-B');
  });

  it('keeps safety stock back from a fill', async () => {
    await setStockPolicy(ctx.db, { sku: 'FB-C', safetyStock: 2 }, actor);
    // With 1 on hand and 2 kept back, nothing is promisable: all 2 units are backordered.
    const order = await placeOrder('FB-C', 2, '2026-03-01T10:00:00Z');
    expect(await lineState(ctx.db, order.id, 'v-FB-C')).toEqual({ backordered: 2, reserved: 0 });
    await receiveStock(ctx.db, { sku: 'FB-C', locationId: EAST, quantity: 2 }, actor);
    // 3 on hand, 2 kept back: one unit may be promised.
    expect(await lineState(ctx.db, order.id, 'v-FB-C')).toEqual({ backordered: 1, reserved: 1 });
    await expectLedgerConsistent(ctx.db, 'v-FB-C');
  });

  it('fills on a positive adjustment and a count that raises on-hand, not on a negative one', async () => {
    const order = await placeOrder('FB-D', 4, '2026-03-01T10:00:00Z');
    expect(await lineState(ctx.db, order.id, 'v-FB-D')).toEqual({ backordered: 3, reserved: 1 });
    await adjustStock(ctx.db, { sku: 'FB-D', locationId: EAST, quantity: 1, reason: 'found a carton' }, actor);
    expect(await lineState(ctx.db, order.id, 'v-FB-D')).toEqual({ backordered: 2, reserved: 2 });
    await countStock(ctx.db, { sku: 'FB-D', locationId: EAST, counted: 3, reason: 'weekly cycle count' }, actor);
    expect(await lineState(ctx.db, order.id, 'v-FB-D')).toEqual({ backordered: 1, reserved: 3 });
    await expectLedgerConsistent(ctx.db, 'v-FB-D');
  });

  it('fills when a transfer arrives, and when a cancelled transfer brings its units back to the source', async () => {
    await receiveStock(ctx.db, { sku: 'FB-F', locationId: 'loc-west-wh', quantity: 5 }, actor);
    const first = await placeOrder('FB-F', 3, '2026-03-01T10:00:00Z');
    expect(await lineState(ctx.db, first.id, 'v-FB-F')).toEqual({ backordered: 2, reserved: 1 });
    // Ontario is open only while units are sent, so routing keeps every order at Newark.
    const send = async (from: string, to: string, quantity: number) => {
      await ctx.db.query(`UPDATE locations SET active = true WHERE id = 'loc-west-wh'`);
      const t = await transferStock(ctx.db, { sku: 'FB-F', fromLocationId: from, toLocationId: to, quantity }, actor);
      await ctx.db.query(`UPDATE locations SET active = false WHERE id = 'loc-west-wh'`);
      return t;
    };
    const inbound = await send('loc-west-wh', EAST, 3);
    expect(await lineState(ctx.db, first.id, 'v-FB-F')).toEqual({ backordered: 2, reserved: 1 });
    await receiveTransfer(ctx.db, inbound.id, actor);
    expect(await lineState(ctx.db, first.id, 'v-FB-F')).toEqual({ backordered: 0, reserved: 3 });

    // The one unit left over leaves, a new order waits for it, and the transfer is called back.
    const outbound = await send(EAST, 'loc-west-wh', 1);
    const second = await placeOrder('FB-F', 2, '2026-03-01T11:00:00Z');
    expect(await lineState(ctx.db, second.id, 'v-FB-F')).toEqual({ backordered: 2, reserved: 0 });
    await cancelTransfer(ctx.db, outbound.id, 'truck not available', actor);
    expect(await lineState(ctx.db, second.id, 'v-FB-F')).toEqual({ backordered: 1, reserved: 1 });
    await expectLedgerConsistent(ctx.db, 'v-FB-F');
  });

  it('after the fill, fulfilment ships the line that was backordered', async () => {
    const store = new MemorySandboxLabelStore();
    const carriers = [new SandboxCarrier({ clock: () => T0, store })];
    const order = await placeOrder('FB-E', 3, '2026-03-01T10:00:00Z');
    const refused = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 }).catch((e: unknown) => e);
    expect((refused as Error).message).toContain('backordered');
    await receiveStock(ctx.db, { sku: 'FB-E', locationId: EAST, quantity: 2 }, actor);
    const r = await fulfilOrder(ctx.db, carriers, order.id, actor, { now: T0 });
    expect(r.labelsBought).toBe(1);
    expect(r.shipments.map((s) => s.itemIds)).toEqual([['v-FB-E', 'v-FB-E', 'v-FB-E']]);
    await expectLedgerConsistent(ctx.db, 'v-FB-E');
  });
});
