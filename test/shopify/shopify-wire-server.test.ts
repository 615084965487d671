import { afterEach, describe, expect, it } from 'vitest';
import { startShopifyWireServer, type ShopifyWireServer } from '../support/shopify-wire-server.js';

const SET = `mutation OrderopsSet($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id } userErrors { code field message } }
}`;

async function post(s: ShopifyWireServer, query: string, variables: unknown) {
  const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': s.accessToken }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('the local Shopify Admin GraphQL server', () => {
  let s: ShopifyWireServer;
  afterEach(async () => s?.close());

  it('sets a quantity once per idempotency key and refuses a stale changeFromQuantity', async () => {
    s = await startShopifyWireServer({ inventory: { 'gid://shopify/InventoryItem/1|gid://shopify/Location/1': 5 } });
    const q = (changeFromQuantity: number | null, quantity: number) => ({
      input: { name: 'available', reason: 'correction', referenceDocumentUri: 'orderops://x', quantities: [{ inventoryItemId: 'gid://shopify/InventoryItem/1', locationId: 'gid://shopify/Location/1', quantity, changeFromQuantity }] },
    });
    const first = await post(s, SET, { ...q(5, 3), key: 'k1' });
    expect(first.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(first.body.extensions.cost.throttleStatus.maximumAvailable).toBe(2000);
    await post(s, SET, { ...q(5, 3), key: 'k1' });
    expect(s.inventorySets.map((x) => x.replay)).toEqual([false, true]);
    expect(s.quantity('gid://shopify/InventoryItem/1', 'gid://shopify/Location/1')).toBe(3);
    const stale = await post(s, SET, { ...q(5, 1), key: 'k2' });
    expect(stale.body.data.inventorySetQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
    expect(s.quantity('gid://shopify/InventoryItem/1', 'gid://shopify/Location/1')).toBe(3);
  });

  it('answers 429 with Retry-After and THROTTLED when told to', async () => {
    s = await startShopifyWireServer();
    s.rateLimit(1, 2);
    const res = await fetch(s.url, { method: 'POST', headers: { 'x-shopify-access-token': s.accessToken }, body: JSON.stringify({ query: 'query Q { orders(first: 1) { nodes { id } } }' }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    s.throttle(1, 3);
    const t = await post(s, 'query Q { orders(first: 1) { nodes { id } } }', {});
    expect(t.body.errors[0].extensions.code).toBe('THROTTLED');
    expect(t.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(3);
  });
});
