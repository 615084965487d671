import { describe, expect, it } from 'vitest';
import { mapWooCommerceProduct } from './map-woocommerce-product.js';
import { wooProductPayloadSchema, wooVariationPayloadSchema } from './woocommerce-order-payload.js';

describe('mapWooCommerceProduct', () => {
  it('maps a simple product to one variant keyed by the product id', () => {
    const p = wooProductPayloadSchema.parse({
      id: 794, name: 'Premium Quality', slug: 'premium-quality-19', type: 'simple', status: 'publish', sku: 'PQ-1',
      price: '21.99', regular_price: '21.99', purchasable: true, tags: [{ id: 1, name: 'tees' }],
    });
    expect(mapWooCommerceProduct(p)).toEqual({
      handle: 'premium-quality-19',
      name: 'Premium Quality',
      tags: ['tees'],
      variants: [{ sku: 'PQ-1', options: {}, price: 21.99, available: true, channel: { channel: 'woocommerce', external_variant_id: '794', external_product_id: '794' } }],
    });
  });

  it('maps a variable product to its variations, options from their attributes, a stand-in SKU where the store has none', () => {
    const p = wooProductPayloadSchema.parse({ id: 22, name: 'Ship Your Idea', slug: 'ship-your-idea-22', type: 'variable', status: 'publish', sku: '', variations: [23, 24] });
    const vs = [
      { id: 23, sku: 'Bar3', price: '12.00', status: 'publish', purchasable: true, attributes: [{ id: 6, name: 'Color', option: 'Black' }] },
      { id: 24, sku: '', price: '', regular_price: '14.00', status: 'private', purchasable: true, attributes: [{ id: 6, name: 'Color', option: 'Green' }] },
    ].map((v) => wooVariationPayloadSchema.parse(v));
    expect(mapWooCommerceProduct(p, vs).variants).toEqual([
      { sku: 'Bar3', options: { Color: 'Black' }, price: 12, available: true, channel: { channel: 'woocommerce', external_variant_id: '23', external_product_id: '22' } },
      { sku: 'woo-24', options: { Color: 'Green' }, price: 14, available: false, channel: { channel: 'woocommerce', external_variant_id: '24', external_product_id: '22' } },
    ]);
  });
});
