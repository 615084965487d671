import { expect, it } from 'vitest';
import { insertTestOrder, seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { systemActor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { fulfilReservations } from './fulfil-reservations.js';
import { getInventoryBySku } from './get-inventory-by-sku.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { recordMovement } from './record-movement.js';
import { releaseReservationsForOrder } from './release-reservations-for-order.js';
import { reserve, reserveMany, reserveUnderLock } from './reserve.js';

const actor = systemActor('test');

describeEachDb('inventory reservations', (ctx) => {
  const outboxCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;

  it('computes available as on hand minus active reservations, per location', async () => {
    await seedTestCatalog(ctx.db, 'p-res', [{ sku: 'RES-1', price: '10.00', stock: { 'loc-east-wh': 5, 'loc-west-wh': 2 } }]);
    await insertTestOrder(ctx.db, '#W0000001');
    await reserve(ctx.db, { variantId: 'v-RES-1', locationId: 'loc-east-wh', quantity: 3, orderId: '#W0000001', actor });

    const inv = await getInventoryBySku(ctx.db, 'RES-1');
    expect(inv.locations.map((l) => [l.location_id, l.on_hand, l.reserved, l.available])).toEqual([
      ['loc-east-wh', 5, 3, 2],
      ['loc-west-wh', 2, 0, 2],
    ]);
    expect(inv.totals).toEqual({ on_hand: 7, reserved: 3, available: 4 });
  });

  it('refuses to reserve more than is available and writes nothing', async () => {
    await seedTestCatalog(ctx.db, 'p-res2', [{ sku: 'RES-2', price: '10.00', stock: { 'loc-east-wh': 2 } }]);
    await insertTestOrder(ctx.db, '#W0000002');
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reservations');
    const err = await reserve(ctx.db, {
      variantId: 'v-RES-2',
      locationId: 'loc-east-wh',
      quantity: 3,
      orderId: '#W0000002',
      sku: 'RES-2',
      actor,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toBe('Not enough stock available for RES-2 at loc-east-wh (wanted 3, available 2)');
    const after = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reservations');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('checks each item against what the items before it left, and audits ids and availability in item order', async () => {
    await seedTestCatalog(ctx.db, 'p-res-many', [
      { sku: 'RES-M1', price: '10.00', stock: { 'loc-east-wh': 5 } },
      { sku: 'RES-M2', price: '10.00', stock: { 'loc-west-wh': 3 } },
    ]);
    await insertTestOrder(ctx.db, '#W0000031');
    const eventsBefore = await outboxCount();
    const items = [
      { variantId: 'v-RES-M1', locationId: 'loc-east-wh', quantity: 2 },
      { variantId: 'v-RES-M2', locationId: 'loc-west-wh', quantity: 3 },
      { variantId: 'v-RES-M1', locationId: 'loc-east-wh', quantity: 3 },
    ];
    const ids = await reserveMany(ctx.db, { orderId: '#W0000031', actor, items });
    expect(ids).toHaveLength(3);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const rows = await ctx.db.query<{ id: number; variant_id: string; quantity: number }>(
      `SELECT id, variant_id, quantity FROM reservations WHERE order_id = '#W0000031' ORDER BY id`,
    );
    expect(rows.rows.map((r) => [Number(r.id), r.variant_id, r.quantity])).toEqual(items.map((it, i) => [ids[i], it.variantId, it.quantity]));
    const audit = await ctx.db.query<{ data: { reservations: Record<string, unknown>[] } }>(
      `SELECT data FROM audit_log WHERE entity_id = '#W0000031' AND action = 'inventory.reserved'`,
    );
    expect(audit.rows[0]!.data.reservations).toEqual([
      { reservationId: ids[0], variantId: 'v-RES-M1', locationId: 'loc-east-wh', quantity: 2, orderLineId: null, availableBefore: 5 },
      { reservationId: ids[1], variantId: 'v-RES-M2', locationId: 'loc-west-wh', quantity: 3, orderLineId: null, availableBefore: 3 },
      { reservationId: ids[2], variantId: 'v-RES-M1', locationId: 'loc-east-wh', quantity: 3, orderLineId: null, availableBefore: 3 },
    ]);
    expect((await outboxCount()) - eventsBefore).toBe(1);
  });

  it('refuses the whole set when a later item finds too little left, names that item, and writes nothing', async () => {
    await seedTestCatalog(ctx.db, 'p-res-short', [{ sku: 'RES-S1', price: '10.00', stock: { 'loc-east-wh': 4 } }]);
    await insertTestOrder(ctx.db, '#W0000032');
    const eventsBefore = await outboxCount();
    const err = await reserveMany(ctx.db, {
      orderId: '#W0000032',
      actor,
      items: [
        { variantId: 'v-RES-S1', locationId: 'loc-east-wh', quantity: 3, sku: 'RES-S1' },
        { variantId: 'v-RES-S1', locationId: 'loc-west-wh', quantity: 1, sku: 'RES-S1' },
      ],
    }).catch((e: unknown) => e);
    expect((err as DomainError).message).toBe('Not enough stock available for RES-S1 at loc-west-wh (wanted 1, available 0)');
    const written = await ctx.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM reservations WHERE order_id = '#W0000032') + (SELECT count(*) FROM audit_log WHERE entity_id = '#W0000032') AS n`,
    );
    expect(Number(written.rows[0]!.n)).toBe(0);
    expect(await outboxCount()).toBe(eventsBefore);
  });

  it('keeps the safety stock back when asked to, and promises no less than nothing', async () => {
    await seedTestCatalog(ctx.db, 'p-res-safe', [{ sku: 'RES-K1', price: '10.00', stock: { 'loc-east-wh': 5 } }]);
    await ctx.db.query(`UPDATE variants SET safety_stock = 2 WHERE id = 'v-RES-K1'`);
    await insertTestOrder(ctx.db, '#W0000033');
    const item = { variantId: 'v-RES-K1', locationId: 'loc-east-wh', quantity: 4, sku: 'RES-K1' };
    const kept = await ctx.db.transaction((tx) => reserveUnderLock(tx, { orderId: '#W0000033', actor, items: [item], keepSafetyStock: true })).catch((e: unknown) => e);
    expect((kept as DomainError).message).toBe('Not enough stock available for RES-K1 at loc-east-wh (wanted 4, available 3)');
    await ctx.db.query(`UPDATE variants SET safety_stock = 9 WHERE id = 'v-RES-K1'`);
    const none = await ctx.db.transaction((tx) => reserveUnderLock(tx, { orderId: '#W0000033', actor, items: [item], keepSafetyStock: true })).catch((e: unknown) => e);
    expect((none as DomainError).message).toContain('available 0)');
    const all = await ctx.db.transaction((tx) => reserveUnderLock(tx, { orderId: '#W0000033', actor, items: [item] }));
    expect(all).toHaveLength(1);
  });

  it('releases an order\'s reservations once, making the units available again', async () => {
    await seedTestCatalog(ctx.db, 'p-res3', [{ sku: 'RES-3', price: '10.00', stock: { 'loc-west-3pl': 4 } }]);
    await insertTestOrder(ctx.db, '#W0000003');
    await reserve(ctx.db, { variantId: 'v-RES-3', locationId: 'loc-west-3pl', quantity: 4, orderId: '#W0000003', actor });
    expect((await getInventoryBySku(ctx.db, 'RES-3')).totals.available).toBe(0);

    const released = await releaseReservationsForOrder(ctx.db, '#W0000003', actor, 'cancelled');
    expect(released.map((r) => r.quantity)).toEqual([4]);
    expect(await releaseReservationsForOrder(ctx.db, '#W0000003', actor)).toEqual([]);
    expect((await getInventoryBySku(ctx.db, 'RES-3')).totals).toEqual({ on_hand: 4, reserved: 0, available: 4 });
    const audit = await ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = '#W0000003' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['inventory.reserved', 'inventory.reservations_released']);
  });

  it('fulfilling turns reserved units into a sale movement: on hand drops, available does not', async () => {
    await seedTestCatalog(ctx.db, 'p-res4', [{ sku: 'RES-4', price: '10.00', stock: { 'loc-east-store': 6 } }]);
    await insertTestOrder(ctx.db, '#W0000004');
    await reserve(ctx.db, { variantId: 'v-RES-4', locationId: 'loc-east-store', quantity: 2, orderId: '#W0000004', actor });
    const fulfilled = await fulfilReservations(ctx.db, { orderId: '#W0000004', actor });
    expect(fulfilled).toHaveLength(1);
    expect((await getInventoryBySku(ctx.db, 'RES-4')).totals).toEqual({ on_hand: 4, reserved: 0, available: 4 });
    const ledger = await ctx.db.query<{ kind: string; quantity: number; sum: number }>(
      `SELECT kind, quantity, sum(quantity) OVER ()::int AS sum FROM inventory_movements
        WHERE variant_id = 'v-RES-4' ORDER BY id`,
    );
    expect(ledger.rows.map((r) => [r.kind, r.quantity])).toEqual([
      ['receipt', 6],
      ['sale', -2],
    ]);
    expect(ledger.rows[0]!.sum).toBe(4);
  });

  it('never oversells: 20 concurrent one-unit reservations for 10 units, exactly 10 succeed', async () => {
    await seedTestCatalog(ctx.db, 'p-race', [{ sku: 'RACE-1', price: '10.00', stock: { 'loc-east-wh': 10 } }]);
    const orderIds = Array.from({ length: 20 }, (_, i) => `#W10000${String(i).padStart(2, '0')}`);
    for (const id of orderIds) await insertTestOrder(ctx.db, id);

    const results = await Promise.allSettled(
      orderIds.map((orderId) =>
        reserve(ctx.db, { variantId: 'v-RACE-1', locationId: 'loc-east-wh', quantity: 1, orderId, sku: 'RACE-1', actor }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(r.reason).toBeInstanceOf(DomainError);
    expect((await getInventoryBySku(ctx.db, 'RACE-1')).totals).toEqual({ on_hand: 10, reserved: 10, available: 0 });
  });

  it('does not deadlock when concurrent transactions lock the same variants listed in different orders', async () => {
    await seedTestCatalog(ctx.db, 'p-dl', [
      { sku: 'DL-A', price: '1.00', stock: { 'loc-east-wh': 50 } },
      { sku: 'DL-B', price: '1.00', stock: { 'loc-east-wh': 50 } },
    ]);
    const ids = Array.from({ length: 10 }, (_, i) => `#W20000${String(i).padStart(2, '0')}`);
    for (const id of ids) await insertTestOrder(ctx.db, id);
    await Promise.all(
      ids.map((orderId, i) =>
        ctx.db.transaction(async (tx) => {
          const order = i % 2 === 0 ? ['v-DL-A', 'v-DL-B'] : ['v-DL-B', 'v-DL-A'];
          await lockStockLevels(tx, order);
          for (const variantId of order) {
            await reserve(tx, { variantId, locationId: 'loc-east-wh', quantity: 1, orderId, actor });
          }
        }),
      ),
    );
    expect((await getInventoryBySku(ctx.db, 'DL-A')).totals.reserved).toBe(10);
    expect((await getInventoryBySku(ctx.db, 'DL-B')).totals.reserved).toBe(10);
  });
});
