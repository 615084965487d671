import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { mapShopifyOrder } from '../../src/connectors/storefronts/shopify/map-shopify-order.js';
import { shopifyOrderPayloadSchema } from '../../src/connectors/storefronts/shopify/shopify-order-payload.js';
import type { Actor } from '../../src/domain/actor.js';
import { ingestChannelOrder } from '../../src/domain/orders/ingest-channel-order.js';
import { storedOrderTotal } from '../../src/domain/orders/order-total.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'webhook', id: 'shopify' };
const fixture = JSON.parse(readFileSync(new URL('../fixtures/shopify/orders-create.json', import.meta.url), 'utf8'));
let n = 0;

// A UK shop: the 120.00 price already holds 20.00 VAT.
const ukOrder = (over: Record<string, unknown> = {}) =>
  shopifyOrderPayloadSchema.parse({
    ...fixture,
    id: 7700000 + ++n,
    currency: 'GBP',
    taxes_included: true,
    line_items: [{ id: 91000 + n, sku: 'UK-COAT', variant_id: null, name: 'Wax coat', quantity: 1, price: '120.00', requires_shipping: true }],
    shipping_lines: [],
    discount_applications: [],
    discount_codes: [],
    tax_lines: [{ title: 'VAT', rate: 0.2, price: '20.00' }],
    subtotal_price: '120.00',
    total_tax: '20.00',
    total_price: '120.00',
    current_total_price: '120.00',
    ...over,
  });

describeEachDb('Shopify order money', (ctx) => {
  it('takes a tax-inclusive order at its price, not price plus the tax inside it', async () => {
    await seedTestCatalog(ctx.db, 'p-uk', [{ sku: 'UK-COAT', price: '120.00', stock: { 'loc-east-wh': 5 } }]);
    const mapped = mapShopifyOrder(ukOrder());
    expect(mapped.payment.amount).toBe(120);
    const r = await ingestChannelOrder(ctx.db, mapped, actor);
    expect(r.holds).toEqual([]);
    expect(r.order.status).toBe('pending');
    expect(r.order.payments.map((p) => p.amountCents)).toEqual([12000]);
    expect(storedOrderTotal(r.order).totalCents).toBe(12000);
    expect(storedOrderTotal(r.order).taxCents).toBe(2000);
  });

  it('holds an order whose Shopify total disagrees with its parts, recording what Shopify charged', async () => {
    const r = await ingestChannelOrder(ctx.db, mapShopifyOrder(ukOrder({ total_price: '110.00', current_total_price: '110.00' })), actor);
    expect(r.order.status).toBe('on_hold');
    expect(r.holds).toEqual(['payment.amount: 110.00 does not match the order total 120.00']);
    expect(r.order.payments.map((p) => p.amountCents)).toEqual([11000]);
  });
});

describeEachDb('Shopify payment status', (ctx) => {
  it('holds an order Shopify has not taken the money for, so it is never shipped', async () => {
    await seedTestCatalog(ctx.db, 'p-uk', [{ sku: 'UK-COAT', price: '120.00', stock: { 'loc-east-wh': 5 } }]);
    const mapped = mapShopifyOrder(ukOrder({ financial_status: 'pending' }));
    expect(mapped.payment).toMatchObject({ captured: false, status: 'pending' });
    const r = await ingestChannelOrder(ctx.db, mapped, actor);
    expect(r.order.status).toBe('on_hold');
    expect(r.holds).toEqual(['payment.captured: not paid in shopify yet: pending']);
  });

  it('takes paid, partly paid and authorized orders as paid', async () => {
    for (const status of ['paid', 'partially_paid', 'authorized']) {
      expect(mapShopifyOrder(ukOrder({ financial_status: status })).payment.captured).not.toBe(false);
    }
    for (const status of ['voided', 'expired']) {
      expect(mapShopifyOrder(ukOrder({ financial_status: status })).payment).toMatchObject({ captured: false, status });
    }
  });
});
