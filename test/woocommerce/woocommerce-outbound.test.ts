import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WooCommerceApiError } from '../../src/connectors/storefronts/woocommerce/woocommerce-api-error.js';
import { WooCommerceChannel } from '../../src/connectors/storefronts/woocommerce/woocommerce-channel.js';
import { WooCommerceRestClient } from '../../src/connectors/storefronts/woocommerce/woocommerce-rest-client.js';
import type { StockPush } from '../../src/domain/sales-channels/storefront-channel.js';
import { WooCommerceWireServer } from '../support/woocommerce-wire-server.js';
import { wooOrder } from './woo-order-fixture.js';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_76543210fedcba9876543210fedcba9876543210';

describe('WooCommerce REST API v3 outbound, against a local store', () => {
  const store = new WooCommerceWireServer(KEY, SECRET);
  let storeUrl = '';
  const waits: number[] = [];
  let channel: WooCommerceChannel;

  beforeAll(async () => {
    const api = await store.start();
    storeUrl = api.replace(/\/wp-json\/wc\/v3$/, '');
    const client = new WooCommerceRestClient({ url: storeUrl, consumerKey: KEY, consumerSecret: SECRET, sleep: async (ms) => void waits.push(ms) });
    channel = new WooCommerceChannel(client);
  });
  afterAll(() => store.stop());
  beforeEach(() => {
    waits.length = 0;
    store.calls.length = 0;
    store.stockWrites.length = 0;
    store.products.clear();
    store.orders.clear();
    store.notes.clear();
    store.addProduct({ id: 93, sku: 'WOO-SINGLE', manage_stock: true, stock_quantity: 4 });
    store.addProduct({
      id: 22,
      sku: 'SHIP-IDEA',
      type: 'variable',
      variations: [
        { id: 23, sku: 'Bar3', manage_stock: true, stock_quantity: 7, meta_data: [] },
        { id: 24, sku: 'Bar4', manage_stock: false, stock_quantity: null, meta_data: [] },
      ],
    });
  });

  const push = (p: Partial<StockPush> & Pick<StockPush, 'externalVariantId' | 'quantity'>): StockPush => ({
    variantId: `v-${p.externalVariantId}`,
    externalProductId: null,
    externalInventoryItemId: null,
    expected: null,
    idempotencyKey: `push-${p.externalVariantId}-${p.quantity}`,
    ...p,
  });

  it('signs every plain-HTTP request with OAuth 1.0a in the query, as the store checks it', async () => {
    await channel.pushStock([push({ externalVariantId: '93', externalProductId: '93', quantity: 5 })]);
    expect(store.authFailures).toEqual([]);
    expect(store.calls.every((c) => c.query.get('oauth_signature_method') === 'HMAC-SHA256' && !c.headers.authorization)).toBe(true);
    const wrong = new WooCommerceChannel(new WooCommerceRestClient({ url: storeUrl, consumerKey: KEY, consumerSecret: 'cs_wrong', sleep: async () => {} }));
    const [result] = await wrong.pushStock([push({ externalVariantId: '93', quantity: 6 })]);
    expect(result).toMatchObject({ ok: false });
    expect(result!.error).toMatch(/401.*signature/);
    expect(store.products.get(93)!.stock_quantity).toBe(5);
  });

  it('sets absolute stock on a simple product and on a variation, managing stock, the key carried as product meta', async () => {
    const results = await channel.pushStock([
      push({ externalVariantId: '93', externalProductId: '93', quantity: 11 }),
      push({ externalVariantId: '23', externalProductId: '22', quantity: 2 }),
      push({ externalVariantId: '24', externalProductId: '22', quantity: 9 }),
    ]);
    expect(results).toEqual([
      { variantId: 'v-93', ok: true, channelQuantity: 11 },
      { variantId: 'v-23', ok: true, channelQuantity: 2 },
      { variantId: 'v-24', ok: true, channelQuantity: 9 },
    ]);
    expect(store.stockWrites).toEqual([
      { productId: 93, variationId: null, quantity: 11, idempotencyKey: 'push-93-11' },
      { productId: 22, variationId: 23, quantity: 2, idempotencyKey: 'push-23-2' },
      { productId: 22, variationId: 24, quantity: 9, idempotencyKey: 'push-24-9' },
    ]);
    expect(store.products.get(22)!.variations.find((v) => v.id === 24)!.manage_stock).toBe(true);
    // One batch call per parent, not one per item.
    expect(store.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /products/batch', 'POST /products/22/variations/batch']);
  });

  it('pushing the same value again leaves the store as it was', async () => {
    const item = push({ externalVariantId: '23', externalProductId: '22', quantity: 3, expected: 7 });
    await channel.pushStock([item]);
    const [again] = await channel.pushStock([item]);
    expect(again).toEqual({ variantId: 'v-23', ok: true, channelQuantity: 3 });
    expect(store.products.get(22)!.variations[0]!.stock_quantity).toBe(3);
  });

  it('with an expected value, refuses to overwrite a quantity someone changed in the store and reports it', async () => {
    const [result] = await channel.pushStock([push({ externalVariantId: '93', externalProductId: '93', quantity: 1, expected: 10 })]);
    expect(result).toEqual({ variantId: 'v-93', ok: false, mismatch: true, channelQuantity: 4 });
    expect(store.stockWrites).toEqual([]);
  });

  it('waits out a 429 as Retry-After asks and then succeeds', async () => {
    store.fail((c) => c.path === '/products/batch', { status: 429, body: { code: 'too_many_requests', message: 'slow down' }, headers: { 'retry-after': '2' } });
    const [result] = await channel.pushStock([push({ externalVariantId: '93', quantity: 8 })]);
    expect(result).toMatchObject({ ok: true, channelQuantity: 8 });
    expect(waits).toEqual([2000]);
    expect(store.calls.filter((c) => c.path === '/products/batch')).toHaveLength(2);
  });

  it('gives up after a bounded number of 503s and says so per item', async () => {
    store.fail((c) => c.path === '/products/batch', { status: 503, body: { code: 'unavailable', message: 'maintenance' } }, 4);
    const [result] = await channel.pushStock([push({ externalVariantId: '93', quantity: 8 })]);
    expect(result).toMatchObject({ ok: false });
    expect(result!.error).toMatch(/503/);
    expect(store.calls.filter((c) => c.path === '/products/batch')).toHaveLength(4);
  });

  it('posts tracking as a customer note and completes the order, once per key even when retried', async () => {
    store.addOrder(wooOrder(727, ['WOO-SINGLE', 'Bar3']));
    const fulfilment = {
      externalOrderId: '727',
      lines: [],
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      notifyCustomer: true,
      idempotencyKey: 'ful-727-1',
    };
    store.fail((c) => c.method === 'POST' && c.path === '/orders/727/notes', { status: 429, body: { code: 'too_many_requests', message: 'x' }, headers: { 'retry-after': '1' } });
    const first = await channel.pushFulfilment(fulfilment);
    const second = await channel.pushFulfilment(fulfilment);
    expect(second).toEqual(first);
    const notes = store.notes.get(727)!;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ customer_note: true });
    expect(notes[0]!.note).toContain('UPS');
    expect(notes[0]!.note).toContain('1Z999AA10123456784');
    expect(store.orders.get(727)!.status).toBe('completed');
    expect(waits).toEqual([1000]);
  });

  it('a partial shipment adds the note but leaves the order open', async () => {
    store.addOrder(wooOrder(728, ['WOO-SINGLE', 'Bar3']));
    await channel.pushFulfilment({
      externalOrderId: '728',
      lines: [{ externalLineId: '315', quantity: 2 }],
      carrier: 'USPS',
      trackingNumber: '9400100000000000000000',
      trackingUrl: null,
      notifyCustomer: false,
      idempotencyKey: 'ful-728-1',
    });
    expect(store.notes.get(728)).toHaveLength(1);
    expect(store.notes.get(728)![0]!.customer_note).toBe(false);
    expect(store.orders.get(728)!.status).toBe('processing');
  });

  it('an order the store does not have is an error naming WooCommerce’s code', async () => {
    await expect(
      channel.pushFulfilment({ externalOrderId: '404404', lines: [], carrier: 'UPS', trackingNumber: 'x', trackingUrl: null, notifyCustomer: true, idempotencyKey: 'k' }),
    ).rejects.toThrow(WooCommerceApiError);
  });

  it('lists orders modified since a time, page by page by X-WP-TotalPages, mapped to the canonical shape', async () => {
    for (let i = 0; i < 120; i++) {
      const o = wooOrder(1000 + i, ['WOO-SINGLE', 'Bar3']);
      o.date_modified_gmt = new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString().slice(0, 19);
      store.addOrder(o);
    }
    const since = new Date(Date.UTC(2026, 2, 1, 0, 9, 30));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<WooCommerceChannel['listOrdersSince']>> = await channel.listOrdersSince(since, cursor);
      seen.push(...page.orders.map((o) => o.externalId));
      expect(page.orders.every((o) => o.order.channel === 'woocommerce' && o.channelStatus === 'processing')).toBe(true);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(110);
    expect(seen[0]).toBe('1010');
    expect(store.calls[0]!.query.get('modified_after')).toBe('2026-03-01T00:09:30Z');
  });
});
