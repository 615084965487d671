import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ShopifyAdminClient } from '../../src/connectors/storefronts/shopify/shopify-admin-client.js';
import type { StockPush } from '../../src/domain/sales-channels/storefront-channel.js';
import { startShopifyWireServer, type ShopifyWireServer, type WireOrder } from '../support/shopify-wire-server.js';

const LOCATION = 'gid://shopify/Location/61000001';
const ITEM = 'gid://shopify/InventoryItem/46200300301';
const graphqlOrder = (change: (o: any) => void = () => {}): WireOrder => {
  const o = JSON.parse(readFileSync(new URL('../fixtures/shopify/graphql-order.json', import.meta.url), 'utf8'));
  change(o);
  return o;
};
const push = (over: Partial<StockPush> = {}): StockPush => ({
  variantId: 'v-SOCK-MERINO-M',
  externalVariantId: '44100200301',
  externalProductId: '8801120001',
  externalInventoryItemId: ITEM,
  quantity: 7,
  expected: 12,
  idempotencyKey: 'push-v-SOCK-MERINO-M-1',
  ...over,
});

describe('Shopify outbound through the Admin GraphQL API (local server)', () => {
  let shop: ShopifyWireServer;
  afterEach(async () => shop?.close());
  const client = (over: { locationId?: string } = {}) =>
    new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: over.locationId ?? LOCATION, pageSize: 2 });

  it('sets "available" with the compare-and-set value and the idempotency key; a retried push changes nothing twice', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 12 } });
    const c = client();
    expect(await c.pushStock([push()])).toEqual([{ variantId: 'v-SOCK-MERINO-M', ok: true, channelQuantity: 7 }]);
    expect(shop.inventorySets[0]).toMatchObject({
      idempotencyKey: 'push-v-SOCK-MERINO-M-1',
      name: 'available',
      reason: 'correction',
      quantities: [{ inventoryItemId: ITEM, locationId: LOCATION, quantity: 7, changeFromQuantity: 12 }],
      replay: false,
    });
    expect(shop.inventorySets[0]!.referenceDocumentUri).toMatch(/^orderops:\/\/stock-push\//);
    expect(shop.requests[0]!.body.query).toContain('@idempotent(key: $key)');
    // The same push again (a retried job): same key, Shopify answers the first result and sets nothing.
    shop.setQuantity(ITEM, LOCATION, 7);
    expect((await c.pushStock([push()]))[0]!.ok).toBe(true);
    expect(shop.inventorySets[1]!.replay).toBe(true);
    expect(shop.quantity(ITEM, LOCATION)).toBe(7);
  });

  it('reports a compare mismatch when someone changed the quantity in Shopify, and sends null when it has nothing to compare', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 9 } });
    const [r] = await client().pushStock([push({ expected: 12, idempotencyKey: 'k-stale' })]);
    // The channel's own value comes back with the mismatch, read after the refusal.
    expect(r).toMatchObject({ ok: false, mismatch: true, channelQuantity: 9 });
    expect(shop.quantity(ITEM, LOCATION)).toBe(9);
    const [unknown] = await client().pushStock([push({ expected: null, idempotencyKey: 'k-null' })]);
    expect(unknown).toMatchObject({ ok: true, channelQuantity: 7 });
    expect(shop.inventorySets[1]!.quantities[0]!.changeFromQuantity).toBeNull();
    const [noItem] = await client().pushStock([push({ externalInventoryItemId: null, idempotencyKey: 'k-x' })]);
    expect(noItem).toMatchObject({ ok: false });
    expect(noItem!.error).toContain('inventory item');
  });

  it('sets many variants in one call, and when one compare is stale sends each alone to learn which', async () => {
    const items = ['1', '2', '3'].map((n) => `gid://shopify/InventoryItem/9900${n}`);
    shop = await startShopifyWireServer({ inventory: Object.fromEntries(items.map((i) => [`${i}|${LOCATION}`, 10])) });
    const burst = items.map((item, i) =>
      push({ variantId: `v-${i}`, externalInventoryItemId: item, quantity: 4 + i, expected: 10, idempotencyKey: `burst-${i}` }),
    );
    expect(await client().pushStock(burst)).toEqual(burst.map((b) => ({ variantId: b.variantId, ok: true, channelQuantity: b.quantity })));
    expect(shop.inventorySets).toHaveLength(1);
    expect(shop.inventorySets[0]!.quantities.map((q) => q.quantity)).toEqual([4, 5, 6]);

    // Someone sold one of them in Shopify meanwhile: the batch is refused whole, the others still land.
    shop.setQuantity(items[1]!, LOCATION, 3);
    const next = burst.map((b) => ({ ...b, expected: b.quantity, quantity: b.quantity - 1, idempotencyKey: `${b.idempotencyKey}-next` }));
    const results = await client().pushStock(next);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ mismatch: true, channelQuantity: 3 });
    expect(items.map((i) => shop.quantity(i, LOCATION))).toEqual([3, 3, 5]);
  });

  it('creates one fulfilment with tracking; the same push again finds it instead of a second', async () => {
    shop = await startShopifyWireServer({ orders: [graphqlOrder()] });
    const f = {
      externalOrderId: '5830472819301',
      lines: [],
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      notifyCustomer: true,
      idempotencyKey: 'ful-1',
    };
    const first = await client().pushFulfilment(f);
    expect(shop.fulfillments).toHaveLength(1);
    expect(shop.fulfillments[0]).toMatchObject({
      id: first.externalFulfilmentId,
      orderId: 'gid://shopify/Order/5830472819301',
      lineItems: [{ id: 'gid://shopify/LineItem/14203312001', quantity: 2 }],
      trackingInfo: { company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
      notifyCustomer: true,
    });
    const again = await client().pushFulfilment(f);
    expect(again.externalFulfilmentId).toBe(first.externalFulfilmentId);
    expect(shop.fulfillments).toHaveLength(1);
  });

  it('does not send fulfillmentCreate again when Shopify applied it and the answer failed; the next push finds it', async () => {
    shop = await startShopifyWireServer({ orders: [graphqlOrder()] });
    const f = { externalOrderId: '5830472819301', lines: [], carrier: 'UPS', trackingNumber: '1Z999AA10123456785', trackingUrl: null, notifyCustomer: true, idempotencyKey: 'ful-2' };
    shop.failAfterApplying('fulfillmentCreate', 1);
    await expect(client().pushFulfilment(f)).rejects.toThrow(/500/);
    expect(shop.requests.filter((r) => r.rootField === 'fulfillmentCreate')).toHaveLength(1);
    expect(shop.fulfillments).toHaveLength(1);
    const retried = await client().pushFulfilment(f);
    expect(retried.externalFulfilmentId).toBe(shop.fulfillments[0]!.id);
    expect(shop.fulfillments).toHaveLength(1);
    expect(shop.requests.filter((r) => r.rootField === 'fulfillmentCreate')).toHaveLength(1);
  });

  it('retries an inventory set whose answer failed after it was applied: the @idempotent key makes it a replay', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 12 } });
    shop.failAfterApplying('inventorySetQuantities', 1);
    const [r] = await client().pushStock([push()]);
    expect(r).toMatchObject({ ok: true, channelQuantity: 7 });
    expect(shop.requests.filter((q) => q.rootField === 'inventorySetQuantities').map((q) => q.status)).toEqual([500, 200]);
    expect(shop.quantity(ITEM, LOCATION)).toBe(7);
  });

  it('fulfils only the lines asked for, then the rest under another tracking number', async () => {
    shop = await startShopifyWireServer({ orders: [graphqlOrder()] });
    const base = { externalOrderId: '5830472819301', carrier: 'USPS', trackingUrl: null, notifyCustomer: false };
    await client().pushFulfilment({ ...base, lines: [{ externalLineId: '14203312001', quantity: 1 }], trackingNumber: '9400100000000000000001', idempotencyKey: 'a' });
    await client().pushFulfilment({ ...base, lines: [], trackingNumber: '9400100000000000000002', idempotencyKey: 'b' });
    expect(shop.fulfillments.map((f) => [f.trackingInfo.number, f.lineItems[0]!.quantity, f.notifyCustomer])).toEqual([
      ['9400100000000000000001', 1, false],
      ['9400100000000000000002', 1, false],
    ]);
    await expect(client().pushFulfilment({ ...base, lines: [], trackingNumber: '9400100000000000000003', idempotencyKey: 'c' })).rejects.toThrow(/nothing left to fulfil/);
  });

  it('waits out a THROTTLED answer and then succeeds', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 12 }, restoreRate: 100, requestedQueryCost: 10 });
    shop.throttle(1, 0);
    const c = client();
    const [r] = await c.pushStock([push()]);
    expect(r!.ok).toBe(true);
    expect(shop.requests.map((q) => q.status)).toEqual([200, 200]);
    expect(c.graphql.stats.throttled).toBe(1);
    // The bucket was empty at 100 points/s and the call costs 10: the retry came at least 0.1 s later.
    expect(shop.requests[1]!.at - shop.requests[0]!.at).toBeGreaterThanOrEqual(90);
    expect(shop.inventorySets.filter((s) => !s.replay)).toHaveLength(1);
  });

  it('waits before the next call when the last answer said the bucket is nearly empty', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 12 }, restoreRate: 50, requestedQueryCost: 20 });
    const c = client();
    await c.pushStock([push()]);
    shop.drainBucket(0);
    // The next answer reports the bucket at 0 (after this call's own cost is refilled), so the one after must wait.
    await c.pushStock([push({ expected: 7, quantity: 5, idempotencyKey: 'k2' })]);
    const waitedBefore = c.graphql.stats.waitedMs;
    await c.pushStock([push({ expected: 5, quantity: 4, idempotencyKey: 'k3' })]);
    // Only the call that met the drained bucket was throttled; the next one waited for the refill (20 points at 50/s) first.
    expect(c.graphql.stats.throttled).toBe(1);
    expect(c.graphql.stats.waitedMs - waitedBefore).toBeGreaterThanOrEqual(300);
    expect(shop.requests.at(-1)!.body.query).toContain('inventorySetQuantities');
    expect(c.graphql.throttleStatus()).toMatchObject({ maximumAvailable: 2000, restoreRate: 50 });
    expect(shop.quantity(ITEM, LOCATION)).toBe(4);
  });

  it('honours a 429 Retry-After and then succeeds', async () => {
    shop = await startShopifyWireServer({ inventory: { [`${ITEM}|${LOCATION}`]: 12 } });
    shop.rateLimit(1, 1);
    const c = client();
    const [r] = await c.pushStock([push()]);
    expect(r!.ok).toBe(true);
    expect(shop.requests.map((q) => q.status)).toEqual([429, 200]);
    expect(shop.requests[1]!.at - shop.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(c.graphql.stats.rateLimited).toBe(1);
  });

  it('pages orders updated since a time, mapped to canonical orders', async () => {
    shop = await startShopifyWireServer({
      orders: [1, 2, 3].map((n) =>
        graphqlOrder((o) => {
          o.id = `gid://shopify/Order/70000${n}`;
          o.legacyResourceId = `70000${n}`;
          o.updatedAt = `2026-12-02T10:0${n}:00Z`;
        }),
      ).concat(graphqlOrder((o) => { o.id = 'gid://shopify/Order/69999'; o.legacyResourceId = '69999'; o.updatedAt = '2026-11-01T00:00:00Z'; })),
    });
    const c = client();
    const first = await c.listOrdersSince(new Date('2026-12-02T00:00:00Z'), null);
    expect(first.orders.map((o) => o.externalId)).toEqual(['700001', '700002']);
    expect(first.nextCursor).not.toBeNull();
    const second = await c.listOrdersSince(new Date('2026-12-02T00:00:00Z'), first.nextCursor);
    expect(second.orders.map((o) => o.externalId)).toEqual(['700003']);
    expect(second.nextCursor).toBeNull();
    expect(shop.requests[0]!.body.variables.query).toBe("updated_at:>='2026-12-02T00:00:00.000Z'");
    const o = first.orders[0]!;
    expect(o.channelStatus).toBe('paid, unfulfilled');
    expect(o.order).toMatchObject({
      channel: 'shopify',
      external_id: '700001',
      customer: { email: 'oskar.berg@example.com', first_name: 'Oskar', last_name: 'Berg' },
      shipping_address: { address1: '410 Broad St', city: 'Newark', state: 'NJ', country: 'US', zip: '07102' },
      lines: [{ sku: 'SOCK-MERINO-M', external_variant_id: '44100200301', external_line_id: '14203312001', quantity: 2, unit_price: 20 }],
      shipping_lines: [{ title: 'Standard', code: 'STANDARD', price: 6 }],
      note: 'Gift wrap please',
      tags: ['wholesale'],
      client: { browser_ip: '198.51.100.7' },
    });
  });
});
