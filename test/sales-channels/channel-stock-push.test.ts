import { afterEach, expect, it } from 'vitest';
import { CHANNEL_STOCK_RULE, onChannelStockProblem } from '../../src/anomaly/channel-stock-flag.js';
import { registerStockSync } from '../../src/config/stock-sync-extension.js';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { releaseReservationsForOrder } from '../../src/domain/inventory/release-reservations-for-order.js';
import { reserve } from '../../src/domain/inventory/reserve.js';
import { countStock } from '../../src/domain/inventory/count-stock.js';
import { receiveStock } from '../../src/domain/inventory/receive-stock.js';
import { setStockPolicy } from '../../src/domain/inventory/set-stock-policy.js';
import { transferStock } from '../../src/domain/inventory/transfer-stock.js';
import { cancelPendingOrder } from '../../src/domain/orders/cancel-pending-order.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import type { ChannelSyncStatusBySku } from '../../src/domain/sales-channels/get-channel-sync-status.js';
import { CHANNEL_STOCK_PROBLEM_TOPIC, type ChannelStockProblemEvent } from '../../src/domain/sales-channels/report-channel-stock-problems.js';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import { createOutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import type { OutboxHandler, OutboxSubscriber } from '../../src/jobs/outbox-subscriber.js';
import { getChannelSyncStatus } from '../../src/tools/get-channel-sync-status.js';
import type { StorefrontChannel } from '../../src/domain/sales-channels/storefront-channel.js';
import { ShopifyAdminClient } from '../../src/connectors/storefronts/shopify/shopify-admin-client.js';
import { RecordingStorefront } from '../support/recording-storefront.js';
import { startShopifyWireServer } from '../support/shopify-wire-server.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';

const actor = systemActor('stock-push-test');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The push pipeline as `npm start` wires it: outbox topics → stock sync and the channel stock flag. */
async function startSync(db: Db, channels: StorefrontChannel[], options: { mismatchMinutes?: number; now?: () => Date } = {}) {
  const queue = createInProcessQueue();
  const subscribers: OutboxSubscriber[] = [];
  const onOutbox = (topic: string, handle: OutboxHandler, name: string) => void subscribers.push({ topic, name, handle });
  const sync = registerStockSync({
    db,
    queue,
    channels,
    onOutbox,
    settings: { mismatchMinutes: options.mismatchMinutes ?? 15 },
    sweepEveryMs: 0,
    ...(options.now ? { now: options.now } : {}),
  });
  onOutbox(CHANNEL_STOCK_PROBLEM_TOPIC, (e) => onChannelStockProblem(db, e.payload as unknown as ChannelStockProblemEvent, { actor }), 'channel-stock-flag');
  const outbox = createOutboxDispatcher(db, { subscribers, pollMs: 10 });
  await queue.start();
  stops.push(async () => {
    await sync.stop();
    await outbox.stop();
    await queue.close();
  });
  return { queue, outbox, sweep: sync.sweep, settle: () => settleOutbox({ db, queue, outbox }) };
}

async function mapVariant(db: Db, channel: string, sku: string): Promise<void> {
  await db.query(
    `INSERT INTO channel_variants (channel, external_variant_id, variant_id, external_product_id, external_inventory_item_id)
     VALUES ($1, $2, $3, 'ext-product', $4)`,
    [channel, `ext-${sku}`, `v-${sku}`, `inv-item-${sku}`],
  );
}

async function makeOrders(db: Db, prefix: string, n: number): Promise<string[]> {
  await db.query(`INSERT INTO customers (id, first_name, last_name, email) VALUES ($1, 'Sync', 'Buyer', $2) ON CONFLICT DO NOTHING`, [
    `c-${prefix}`,
    `${prefix}@example.com`,
  ]);
  const ids = Array.from({ length: n }, (_, i) => `#${prefix}-${i + 1}`);
  await db.query(
    `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
     SELECT id, $2, id, 'pending', '1 Main St', 'Albany', 'NY', 'USA', '12207' FROM unnest($1::text[]) AS id`,
    [ids, `c-${prefix}`],
  );
  return ids;
}

const sell = (db: Db, sku: string, orderId: string, locationId = 'loc-east-wh') =>
  reserve(db, { variantId: `v-${sku}`, locationId, quantity: 1, orderId, actor });

describeEachDb('stock push to the sales channels', (ctx) => {
  it('a burst of 50 sales ends on the final value with far fewer calls than sales, and a release pushes stock back', async () => {
    await seedTestCatalog(ctx.db, 'p-burst', [{ sku: 'BURST-1', price: '10.00', stock: { 'loc-east-wh': 60, 'loc-west-wh': 20 } }]);
    await mapVariant(ctx.db, 'rec-burst', 'BURST-1');
    const store = new RecordingStorefront('rec-burst');
    const sync = await startSync(ctx.db, [store]);
    // The stock arrived before the mapping: the sweep gives the new mapping its first push.
    await sync.sweep();
    await sync.settle();
    const before = 80;
    expect(store.stock.get('ext-BURST-1')).toBe(before);

    // The channel answers slower than sales arrive: its first call waits until all 50 sales are
    // committed and their events handled, as a burst outruns a real round trip.
    const release = store.hold();
    await sync.outbox.start();
    const orders = await makeOrders(ctx.db, 'BURST', 60);
    const callsBefore = store.calls.length;
    const v0 = await syncVersion(ctx.db, 'v-BURST-1', 'rec-burst');
    for (const id of orders.slice(0, 50)) await sell(ctx.db, 'BURST-1', id);
    while ((await syncVersion(ctx.db, 'v-BURST-1', 'rec-burst')) < v0 + 50) await new Promise((r) => setTimeout(r, 10));
    release();
    await sync.outbox.stop();
    await sync.settle();

    expect(store.stock.get('ext-BURST-1')).toBe(before - 50);
    const calls = store.calls.length - callsBefore;
    // The call already under way when the burst began, and one with the final value.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(2);
    // Every call carried the inventory item Shopify needs and a compare-and-set value.
    const last = store.calls.at(-1)!.items[0]!;
    expect(last).toMatchObject({ externalVariantId: 'ext-BURST-1', externalInventoryItemId: 'inv-item-BURST-1', quantity: before - 50 });
    expect(last.expected).not.toBeNull();

    for (const id of orders.slice(0, 10)) await releaseReservationsForOrder(ctx.db, id, actor, 'cancelled');
    await sync.settle();
    expect(store.stock.get('ext-BURST-1')).toBe(before - 40);

    const status = await getChannelSyncStatus.run({ sku: 'BURST-1' }, { db: ctx.db, config: testAppConfig('sync'), actor, persona: 'ops' });
    expect(status).toMatchObject({
      sku: 'BURST-1',
      quantity_now: before - 40,
      channels: [{ channel: 'rec-burst', pushed_quantity: before - 40, pending: false, failed_attempts: 0, in_sync: true, mismatch_since: null }],
    });
  });

  it('pushes after an order, its cancellation, a transfer, a count and a receipt, both variants of the order in one call', async () => {
    await seedTestCatalog(ctx.db, 'p-flow', [
      { sku: 'FLOW-A', price: '10.00', stock: { 'loc-east-wh': 10 } },
      { sku: 'FLOW-B', price: '12.00', stock: { 'loc-east-wh': 4 } },
    ]);
    await mapVariant(ctx.db, 'rec-flow', 'FLOW-A');
    await mapVariant(ctx.db, 'rec-flow', 'FLOW-B');
    const store = new RecordingStorefront('rec-flow');
    const sync = await startSync(ctx.db, [store]);
    await sync.sweep();
    await sync.settle();
    const shown = () => [store.stock.get('ext-FLOW-A'), store.stock.get('ext-FLOW-B')];
    expect(shown()).toEqual([10, 4]);

    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'shopify',
        external_id: 'FLOW-1',
        customer: { email: 'flow@example.com', first_name: 'Flo', last_name: 'W' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'FLOW-A', quantity: 3 }, { sku: 'FLOW-B', quantity: 1 }],
        payment: { method: 'card' },
      },
      actor,
    );
    const callsBefore = store.calls.length;
    await sync.settle();
    expect(shown()).toEqual([7, 3]);
    expect(store.calls.length - callsBefore).toBe(1);
    expect(store.calls.at(-1)!.items.map((i) => i.variantId)).toEqual(['v-FLOW-A', 'v-FLOW-B']);

    await cancelPendingOrder(ctx.db, { orderId: order.id, reason: 'no longer needed' }, actor);
    await sync.settle();
    expect(shown()).toEqual([10, 4]);

    await transferStock(ctx.db, { sku: 'FLOW-A', fromLocationId: 'loc-east-wh', toLocationId: 'loc-west-wh', quantity: 2 }, actor);
    await sync.settle();
    expect(shown()).toEqual([8, 4]);

    await countStock(ctx.db, { sku: 'FLOW-B', locationId: 'loc-east-wh', counted: 1, reason: 'cycle count' }, actor);
    await receiveStock(ctx.db, { sku: 'FLOW-A', locationId: 'loc-west-wh', quantity: 5 }, actor);
    await sync.settle();
    expect(shown()).toEqual([13, 1]);
  });

  it('sets Shopify\'s available quantity through the Admin GraphQL API, and overwrites a value someone changed there', async () => {
    const location = 'gid://shopify/Location/61000001';
    const item = 'gid://shopify/InventoryItem/46200300301';
    await seedTestCatalog(ctx.db, 'p-shop', [{ sku: 'SHOP-1', price: '10.00', stock: { 'loc-east-wh': 12, 'loc-west-wh': 3 } }]);
    await ctx.db.query(
      `INSERT INTO channel_variants (channel, external_variant_id, variant_id, external_product_id, external_inventory_item_id)
       VALUES ('shopify', '44100200301', 'v-SHOP-1', '8801120001', '46200300301')`,
    );
    const shop = await startShopifyWireServer({ inventory: { [`${item}|${location}`]: 0 } });
    stops.push(() => shop.close());
    const shopify = new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: location });
    const sync = await startSync(ctx.db, [shopify]);
    await sync.sweep();
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(15);
    expect(shop.inventorySets[0]!.quantities[0]).toMatchObject({ quantity: 15, changeFromQuantity: null });

    const orders = await makeOrders(ctx.db, 'SHOP', 3);
    for (const id of orders) await sell(ctx.db, 'SHOP-1', id);
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(12);
    const last = shop.inventorySets.at(-1)!;
    expect(last.idempotencyKey).toBeTruthy();
    expect(last.quantities[0]!.changeFromQuantity).not.toBeNull();

    // Someone edits the quantity in the Shopify admin: the compare-and-set is refused, the retry sets ours.
    shop.setQuantity(item, location, 40);
    const [more] = await makeOrders(ctx.db, 'SHOP2', 1);
    await sell(ctx.db, 'SHOP-1', more!);
    await sync.settle();
    expect(shop.inventorySets.some((s) => s.refused)).toBe(true);
    expect(shop.quantity(item, location)).toBe(11);
    const { rows } = await ctx.db.query(`SELECT dirty, pushed_quantity, mismatch_since IS NOT NULL AS mismatch FROM channel_stock_sync WHERE variant_id = 'v-SHOP-1'`);
    expect(rows[0]).toMatchObject({ dirty: false, pushed_quantity: 11, mismatch: true });
  });

  it("agrees with Shopify's own sales: a sale there lowering available is no mismatch, and no flag after the window", async () => {
    const location = 'gid://shopify/Location/61000002';
    const item = 'gid://shopify/InventoryItem/46200300302';
    await seedTestCatalog(ctx.db, 'p-shsale', [{ sku: 'SHSALE-1', price: '10.00', stock: { 'loc-east-wh': 15 } }]);
    await ctx.db.query(
      `INSERT INTO channel_variants (channel, external_variant_id, variant_id, external_product_id, external_inventory_item_id)
       VALUES ('shopify', '44100200302', 'v-SHSALE-1', '8801120002', '46200300302')`,
    );
    const shop = await startShopifyWireServer({ inventory: { [`${item}|${location}`]: 0 } });
    stops.push(() => shop.close());
    const shopify = new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: location });
    let clock = new Date('2026-12-01T10:00:00Z');
    const sync = await startSync(ctx.db, [shopify], { mismatchMinutes: 10, now: () => clock });
    await sync.sweep();
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(15);

    // Shopify's checkout takes an order (available 15 → 14); the order comes in and we push 14.
    const orders = await makeOrders(ctx.db, 'SHSALE', 2);
    shop.setQuantity(item, location, 14);
    await sell(ctx.db, 'SHSALE-1', orders[0]!);
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(14);
    const before = await ctx.db.query(`SELECT dirty, pushed_quantity, channel_quantity, mismatch_since FROM channel_stock_sync WHERE variant_id = 'v-SHSALE-1'`);
    expect(before.rows[0]).toMatchObject({ dirty: false, pushed_quantity: 14, channel_quantity: 14, mismatch_since: null });

    // Past the mismatch window, another sale there: still agreement, no flag.
    clock = new Date('2026-12-01T10:30:00Z');
    shop.setQuantity(item, location, 13);
    await sell(ctx.db, 'SHSALE-1', orders[1]!);
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(13);
    expect(await openFlags(ctx.db, 'v-SHSALE-1@channel:shopify')).toEqual([]);

    // A sale there racing a receipt of ours: the set is refused once, the retry compares against
    // the value just read and lands ours.
    shop.setQuantity(item, location, 12);
    const setsBefore = shop.inventorySets.length;
    await receiveStock(ctx.db, { sku: 'SHSALE-1', locationId: 'loc-east-wh', quantity: 5 }, actor);
    await sync.settle();
    expect(shop.quantity(item, location)).toBe(18);
    expect(shop.inventorySets.slice(setsBefore).filter((s) => s.refused)).toHaveLength(1);
    expect(shop.inventorySets.at(-1)!.quantities[0]).toMatchObject({ quantity: 18, changeFromQuantity: 12 });
    expect(await openFlags(ctx.db, 'v-SHSALE-1@channel:shopify')).toEqual([]);
  });

  it('subtracts safety stock at each location, and a new safety stock alone is pushed', async () => {
    await seedTestCatalog(ctx.db, 'p-safety', [{ sku: 'SAFE-1', price: '10.00', stock: { 'loc-east-wh': 10, 'loc-west-wh': 2 } }]);
    await mapVariant(ctx.db, 'rec-safety', 'SAFE-1');
    const store = new RecordingStorefront('rec-safety');
    const sync = await startSync(ctx.db, [store]);
    const [order] = await makeOrders(ctx.db, 'SAFE', 1);
    await sell(ctx.db, 'SAFE-1', order!);
    await sync.settle();
    expect(store.stock.get('ext-SAFE-1')).toBe(11);

    await setStockPolicy(ctx.db, { sku: 'SAFE-1', safetyStock: 3 }, actor);
    await sync.settle();
    // East: 9 available - 3 = 6; west: 2 available, below its safety stock of 3, shows 0.
    expect(store.stock.get('ext-SAFE-1')).toBe(6);
  });

  it('retries a failing channel with backoff until it succeeds, then the row is clean', async () => {
    await seedTestCatalog(ctx.db, 'p-retry', [{ sku: 'RETRY-1', price: '10.00', stock: { 'loc-east-wh': 5 } }]);
    await mapVariant(ctx.db, 'rec-retry', 'RETRY-1');
    const store = new RecordingStorefront('rec-retry');
    const sync = await startSync(ctx.db, [store]);
    const [order] = await makeOrders(ctx.db, 'RETRY', 1);
    store.failNext(2);
    await sell(ctx.db, 'RETRY-1', order!);
    await sync.settle();

    expect(store.calls.length).toBe(3);
    expect(store.calls.slice(0, 2).every((c) => c.results.length === 0)).toBe(true);
    expect(store.stock.get('ext-RETRY-1')).toBe(4);
    // The same value was retried under the same idempotency key.
    expect(new Set(store.calls.map((c) => c.items[0]!.idempotencyKey)).size).toBe(1);
    const { rows } = await ctx.db.query(`SELECT dirty, attempts, last_error, failing_since FROM channel_stock_sync WHERE variant_id = 'v-RETRY-1'`);
    expect(rows[0]).toMatchObject({ dirty: false, attempts: 0, last_error: null, failing_since: null });
  });

  it('flags a channel that keeps failing past the threshold, shows it in the status, and resolves the flag once it recovers', async () => {
    await seedTestCatalog(ctx.db, 'p-down', [{ sku: 'DOWN-1', price: '10.00', stock: { 'loc-east-wh': 5 } }]);
    await mapVariant(ctx.db, 'rec-down', 'DOWN-1');
    const store = new RecordingStorefront('rec-down');
    let clock = new Date('2026-12-01T10:00:00Z');
    const sync = await startSync(ctx.db, [store], { mismatchMinutes: 10, now: () => clock });
    const [order] = await makeOrders(ctx.db, 'DOWN', 1);
    store.failNext(1000, 'connect ECONNREFUSED');
    await sell(ctx.db, 'DOWN-1', order!);
    await sync.settle();
    expect(await openFlags(ctx.db, 'v-DOWN-1@channel:rec-down')).toEqual([]);

    clock = new Date('2026-12-01T10:11:00Z');
    store.failNext(1000, 'connect ECONNREFUSED');
    await sync.sweep();
    await sync.settle();
    expect(await openFlags(ctx.db, 'v-DOWN-1@channel:rec-down')).toEqual([CHANNEL_STOCK_RULE]);
    const status = (await getChannelSyncStatus.run({ sku: 'DOWN-1' }, { db: ctx.db, config: testAppConfig('sync'), actor, persona: 'ops' })) as ChannelSyncStatusBySku;
    expect(status.channels[0]).toMatchObject({ pending: true, last_error: 'connect ECONNREFUSED', failing_since: '2026-12-01T10:00:00.000Z', problem_reported: true, in_sync: false });
    expect(status.channels[0]!.failed_attempts).toBeGreaterThanOrEqual(5);

    store.failNext(0);
    await sync.sweep();
    await sync.settle();
    expect(store.stock.get('ext-DOWN-1')).toBe(4);
    expect(await openFlags(ctx.db, 'v-DOWN-1@channel:rec-down')).toEqual([]);
  });

  it('flags a mismatch that persists: another writer keeps changing the channel value', async () => {
    await seedTestCatalog(ctx.db, 'p-drift', [{ sku: 'DRIFT-1', price: '10.00', stock: { 'loc-east-wh': 30 } }]);
    await mapVariant(ctx.db, 'rec-drift', 'DRIFT-1');
    const store = new RecordingStorefront('rec-drift');
    let clock = new Date('2026-12-01T10:00:00Z');
    const sync = await startSync(ctx.db, [store], { mismatchMinutes: 10, now: () => clock });
    const orders = await makeOrders(ctx.db, 'DRIFT', 3);
    await sell(ctx.db, 'DRIFT-1', orders[0]!);
    await sync.settle();
    expect(store.stock.get('ext-DRIFT-1')).toBe(29);

    store.otherWriter = (_id, value) => value - 2;
    store.stock.set('ext-DRIFT-1', 27);
    await sell(ctx.db, 'DRIFT-1', orders[1]!);
    await sync.settle();
    // We overwrote the other value (compare-and-set on the value the store reported), no flag yet.
    expect(store.calls.some((c) => c.results.some((r) => r.mismatch))).toBe(true);
    expect(await openFlags(ctx.db, 'v-DRIFT-1@channel:rec-drift')).toEqual([]);

    clock = new Date('2026-12-01T10:12:00Z');
    await sell(ctx.db, 'DRIFT-1', orders[2]!);
    await sync.settle();
    expect(await openFlags(ctx.db, 'v-DRIFT-1@channel:rec-drift')).toEqual([CHANNEL_STOCK_RULE]);
    const { rows } = await ctx.db.query<{ reasons: string[] }>(`SELECT reasons FROM anomaly_flags WHERE subject_id = 'v-DRIFT-1@channel:rec-drift'`);
    expect(rows[0]!.reasons.join(' ')).toMatch(/rec-drift has held a value other than ours since 2026-12-01T10:00/);
  });

  it('pushes nothing for a variant no channel sells, nor to a channel that does not sell it', async () => {
    await seedTestCatalog(ctx.db, 'p-none', [
      { sku: 'NONE-1', price: '10.00', stock: { 'loc-east-wh': 5 } },
      { sku: 'OTHER-1', price: '10.00', stock: { 'loc-east-wh': 5 } },
    ]);
    await mapVariant(ctx.db, 'rec-elsewhere', 'OTHER-1');
    const store = new RecordingStorefront('rec-none');
    const elsewhere = new RecordingStorefront('rec-elsewhere');
    const sync = await startSync(ctx.db, [store, elsewhere]);
    const [a, b] = await makeOrders(ctx.db, 'NONE', 2);
    await sell(ctx.db, 'NONE-1', a!);
    await sell(ctx.db, 'OTHER-1', b!);
    await sync.settle();
    expect(store.calls).toEqual([]);
    expect(elsewhere.calls.flatMap((c) => c.items.map((i) => i.variantId))).not.toContain('v-NONE-1');
    const { rows } = await ctx.db.query(`SELECT 1 FROM channel_stock_sync WHERE variant_id = 'v-NONE-1'`);
    expect(rows).toEqual([]);
  });
});

async function syncVersion(db: Db, variantId: string, channel: string): Promise<number> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM channel_stock_sync WHERE variant_id = $1 AND channel = $2', [variantId, channel]);
  return Number(rows[0]?.version ?? 0);
}

async function openFlags(db: Db, subjectId: string): Promise<string[]> {
  const { rows } = await db.query<{ rule: string }>(
    `SELECT rule FROM anomaly_flags WHERE subject_type = 'stock' AND subject_id = $1 AND status <> 'resolved' ORDER BY rule`,
    [subjectId],
  );
  return rows.map((r) => r.rule);
}
