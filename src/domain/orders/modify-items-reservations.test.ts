import { expect, it } from 'vitest';
import { countLedgerRows } from '../../../test/support/count-ledger-rows.js';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { getInventoryBySku } from '../inventory/get-inventory-by-sku.js';
import { createOrder } from './create-order.js';
import { modifyPendingOrderItems } from './modify-pending-order-items.js';

const actor: Actor = { kind: 'api', id: 'test' };

const reservedAt = async (db: Parameters<typeof getInventoryBySku>[0], sku: string, location: string) =>
  (await getInventoryBySku(db, sku))!.locations.find((l) => l.location_id === location)?.reserved ?? 0;

// Swapping items on an order that holds stock moves its reservations to the new variants.
describeEachDb('modifyPendingOrderItems with reservations', (ctx) => {
  it('releases the old variant and reserves the new one at the line location', async () => {
    await seedTestCatalog(ctx.db, 'p-swap', [
      { sku: 'SW-RED', price: '20.00', stock: { 'loc-east-wh': 3 } },
      { sku: 'SW-BLUE', price: '22.00', stock: { 'loc-east-wh': 3 } },
      { sku: 'SW-GREEN', price: '21.00', stock: {} },
    ]);
    const base = {
      channel: 'shopify',
      customer: { email: 'swap@example.com', first_name: 'Sam', last_name: 'Swap' },
      shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
      payment: { method: 'card' as const },
    };
    const { order } = await createOrder(ctx.db, { ...base, external_id: 'swap-1', lines: [{ sku: 'SW-RED', quantity: 1 }] }, actor);
    expect(await reservedAt(ctx.db, 'SW-RED', 'loc-east-wh')).toBe(1);
    const card = order.payments[0]!.paymentMethodId;

    await modifyPendingOrderItems(ctx.db, { orderId: order.id, itemIds: ['v-SW-RED'], newItemIds: ['v-SW-BLUE'], paymentMethodId: card }, actor);
    expect(await reservedAt(ctx.db, 'SW-RED', 'loc-east-wh')).toBe(0);
    expect(await reservedAt(ctx.db, 'SW-BLUE', 'loc-east-wh')).toBe(1);

    const { order: second } = await createOrder(ctx.db, { ...base, external_id: 'swap-2', lines: [{ sku: 'SW-RED', quantity: 1 }] }, actor);
    const rows = await countLedgerRows(ctx.db);
    await expect(
      modifyPendingOrderItems(ctx.db, { orderId: second.id, itemIds: ['v-SW-RED'], newItemIds: ['v-SW-GREEN'], paymentMethodId: card }, actor),
    ).rejects.toThrow(/Not enough stock available for SW-GREEN/);
    expect(await countLedgerRows(ctx.db)).toEqual(rows);
    expect(await reservedAt(ctx.db, 'SW-RED', 'loc-east-wh')).toBe(1);
  });
});
