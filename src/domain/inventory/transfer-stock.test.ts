import { expect, it } from 'vitest';
import { insertTestOrder, seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { systemActor } from '../actor.js';
import type { DomainError } from '../domain-error.js';
import { cancelTransfer } from './cancel-transfer.js';
import { readStockLevels } from './lock-stock-levels.js';
import { receiveTransfer } from './receive-transfer.js';
import { reserve } from './reserve.js';
import { listTransfersInTransit } from './stock-transfer.js';
import { transferStock } from './transfer-stock.js';

const actor = systemActor('test');
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DomainError);

describeEachDb('stock transfers', (ctx) => {
  const onHand = async (variantId: string) =>
    Object.fromEntries((await readStockLevels(ctx.db, [variantId])).map((l) => [l.locationId, l.onHand]));

  it('moves stock out, holds it in transit, and books it in at the destination once', async () => {
    await seedTestCatalog(ctx.db, 'p-trf', [{ sku: 'TRF-1', price: '5.00', stock: { 'loc-east-wh': 10 } }]);
    const t = await transferStock(ctx.db, { sku: 'TRF-1', fromLocationId: 'loc-east-wh', toLocationId: 'loc-west-wh', quantity: 4, reason: 'rebalance' }, actor);
    expect(t).toMatchObject({ status: 'in_transit', quantity: 4, sku: 'TRF-1', received_at: null });
    expect(await onHand('v-TRF-1')).toEqual({ 'loc-east-wh': 6 });
    expect((await listTransfersInTransit(ctx.db, { variantIds: ['v-TRF-1'] })).map((x) => x.id)).toEqual([t.id]);

    const received = await receiveTransfer(ctx.db, t.id, actor);
    expect(received.status).toBe('received');
    expect(await onHand('v-TRF-1')).toEqual({ 'loc-east-wh': 6, 'loc-west-wh': 4 });
    const again = await refusal(receiveTransfer(ctx.db, t.id, actor));
    expect(again?.message).toBe(`stock transfer ${t.id} is received, not in transit`);
    expect(await onHand('v-TRF-1')).toEqual({ 'loc-east-wh': 6, 'loc-west-wh': 4 });
    const kinds = await ctx.db.query<{ kind: string; location_id: string; quantity: number }>(
      `SELECT kind, location_id, quantity FROM inventory_movements WHERE variant_id = 'v-TRF-1' ORDER BY id`,
    );
    expect(kinds.rows.slice(1)).toEqual([
      { kind: 'transfer_out', location_id: 'loc-east-wh', quantity: -4 },
      { kind: 'transfer_in', location_id: 'loc-west-wh', quantity: 4 },
    ]);
  });

  it('returns a cancelled transfer to its source', async () => {
    await seedTestCatalog(ctx.db, 'p-trf2', [{ sku: 'TRF-2', price: '5.00', stock: { 'loc-east-store': 3 } }]);
    const t = await transferStock(ctx.db, { sku: 'TRF-2', fromLocationId: 'loc-east-store', toLocationId: 'loc-west-3pl', quantity: 3 }, actor);
    expect(await onHand('v-TRF-2')).toEqual({ 'loc-east-store': 0 });
    expect((await cancelTransfer(ctx.db, t.id, 'truck did not leave', actor)).status).toBe('cancelled');
    expect(await onHand('v-TRF-2')).toEqual({ 'loc-east-store': 3 });
    expect((await refusal(receiveTransfer(ctx.db, t.id, actor)))?.code).toBe('transfer_not_in_transit');
    expect((await refusal(cancelTransfer(ctx.db, t.id, 'again', actor)))?.code).toBe('transfer_not_in_transit');
  });

  it('refuses to send reserved units, more than on hand, to the same place, or to an unknown location, writing nothing', async () => {
    await seedTestCatalog(ctx.db, 'p-trf3', [{ sku: 'TRF-3', price: '5.00', stock: { 'loc-east-wh': 5 } }]);
    await insertTestOrder(ctx.db, '#W0000301');
    await reserve(ctx.db, { variantId: 'v-TRF-3', locationId: 'loc-east-wh', quantity: 4, orderId: '#W0000301', actor });
    const base = { sku: 'TRF-3', fromLocationId: 'loc-east-wh', toLocationId: 'loc-west-wh' };
    expect((await refusal(transferStock(ctx.db, { ...base, quantity: 2 }, actor)))?.code).toBe('stock_reserved');
    expect((await refusal(transferStock(ctx.db, { ...base, quantity: 6 }, actor)))?.code).toBe('negative_stock');
    expect((await refusal(transferStock(ctx.db, { ...base, toLocationId: 'loc-east-wh', quantity: 1 }, actor)))?.code).toBe('same_location');
    expect((await refusal(transferStock(ctx.db, { ...base, toLocationId: 'loc-nowhere', quantity: 1 }, actor)))?.message).toBe('location loc-nowhere not found');
    const rows = await ctx.db.query(`SELECT 1 FROM stock_transfers t JOIN variants v ON v.id = t.variant_id WHERE v.sku = 'TRF-3'`);
    expect(rows.rows).toHaveLength(0);
    expect(await onHand('v-TRF-3')).toEqual({ 'loc-east-wh': 5 });
    expect((await transferStock(ctx.db, { ...base, quantity: 1 }, actor)).status).toBe('in_transit');
  });
});
