import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShopifyPayload } from './parse-shopify-payload.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../../test/fixtures/shopify/${name}`, import.meta.url), 'utf8'));

describe('mapping a Shopify order webhook to the canonical order', () => {
  it('keeps lines, addresses, shipping, discounts, taxes, note, tags, client and payment details', () => {
    const parsed = parseShopifyPayload('orders/create', fixture('orders-create.json'));
    if (!parsed.ok || parsed.value.kind !== 'order') throw new Error(JSON.stringify(parsed));
    const o = parsed.value.order;
    expect(o.channel).toBe('shopify');
    expect(o.external_id).toBe('5830472819201');
    expect(o.placed_at).toBe('2026-11-30T14:02:11-05:00');
    expect(o.currency).toBe('USD');
    expect(o.customer).toMatchObject({ email: 'maya.lindqvist@example.com', first_name: 'Maya', last_name: 'Lindqvist', phone: '+17185550142' });
    expect(o.shipping_address).toEqual({
      address1: '88 Wythe Ave', address2: 'Apt 3', city: 'Brooklyn', state: 'NY', country: 'US', zip: '11249', name: 'Maya Lindqvist', phone: '+1 718 555 0142',
    });
    expect(o.billing_address?.zip).toBe('11249');
    expect(o.lines).toEqual([
      { sku: 'SOCK-MERINO-M', external_variant_id: '44100200301', external_line_id: '14203311001', title: 'Merino Crew Sock - M', quantity: 2, unit_price: 20, total_discount: 4 },
      { sku: 'GIFT-20', external_variant_id: '44100200399', external_line_id: '14203311002', title: 'Gift Card - $20', quantity: 1, unit_price: 20, total_discount: 2, requires_shipping: false, gift_card: true },
    ]);
    expect(o.shipping_lines).toEqual([{ title: 'Express (1-2 business days)', code: 'Express', price: 14 }]);
    expect(o.discounts).toEqual([{ code: 'WELCOME10', amount: 6, target: 'line' }]);
    expect(o.taxes).toEqual([{ title: 'NY State Tax', rate: 0.08875, amount: 4.48 }]);
    expect(o.note).toBe('Please leave at the side door.');
    expect(o.tags).toEqual(['vip', 'first-order']);
    expect(o.payment.method).toBe('card');
    expect(o.client).toEqual({
      browser_ip: '203.0.113.24',
      user_agent: expect.stringContaining('Safari'),
      accept_language: 'en-US,en;q=0.9',
      account_created_at: '2026-11-28T09:15:00-05:00',
      avs_result: 'Y',
      cvv_result: 'M',
    });
  });

  it('tells PayPal apart, reads discount_codes when there are no applications, and leaves out an address it cannot ship to', () => {
    const body = fixture('orders-create.json');
    body.payment_gateway_names = ['paypal'];
    delete body.discount_applications;
    body.shipping_address.zip = null;
    const parsed = parseShopifyPayload('orders/create', body);
    if (!parsed.ok || parsed.value.kind !== 'order') throw new Error(JSON.stringify(parsed));
    expect(parsed.value.order.payment.method).toBe('paypal');
    expect(parsed.value.order.discounts).toEqual([{ code: 'WELCOME10', amount: 6, target: 'order' }]);
    expect(parsed.value.order.shipping_address).toBeUndefined();
  });

  it('names the bad field of a malformed payload', () => {
    const body = fixture('orders-create.json');
    body.line_items[0].quantity = 'two';
    const parsed = parseShopifyPayload('orders/create', body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain('line_items.0.quantity');
    const noLines = parseShopifyPayload('orders/create', { id: 1 });
    expect(!noLines.ok && noLines.issues[0]!.path).toBe('line_items');
  });

  it('maps a product with its variants and Shopify ids, and a refund', () => {
    const product = parseShopifyPayload('products/create', fixture('products-create.json'));
    if (!product.ok || product.value.kind !== 'product') throw new Error(JSON.stringify(product));
    expect(product.value.product).toMatchObject({ handle: 'merino-crew-sock', name: 'Merino Crew Sock', vendor: 'Northwool', tags: ['socks', 'merino'] });
    expect(product.value.product.variants[0]).toEqual({
      sku: 'SOCK-MERINO-M', options: { Size: 'M' }, price: 20, barcode: '0850001234561',
      channel: { channel: 'shopify', external_variant_id: '44100200301', external_product_id: '8801120001', external_inventory_item_id: 'gid://shopify/InventoryItem/46200300301' },
    });
    const refund = parseShopifyPayload('refunds/create', fixture('refunds-create.json'));
    if (!refund.ok || refund.value.kind !== 'refund') throw new Error(JSON.stringify(refund));
    expect(refund.value.refund.transactions[0]!.amount).toBe('19.60');
  });
});
