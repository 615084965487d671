import { catalogProductInputSchema, type CatalogProductInput } from '../../../domain/catalog/catalog-product-input.js';
import { WOOCOMMERCE_CHANNEL } from './map-woocommerce-order.js';
import type { WooProductPayload, WooVariationPayload } from './woocommerce-order-payload.js';

const price = (...vs: (string | number | null | undefined)[]) => {
  for (const v of vs) if (v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v))) return Math.round(Number(v) * 100) / 100;
  return 0;
};

// The catalog keys a variant by SKU; an item the store sells without one gets a stable stand-in.
const skuOf = (sku: string | null | undefined, id: number) => sku?.trim() || `woo-${id}`;

/**
 * A WooCommerce product (REST API v3 shape) and, for a variable product, its variations, as
 * catalog input with each variant's WooCommerce ids: the variation id for a variation, the
 * product id for a simple product (where WooCommerce keeps that item's stock). Pure.
 */
export function mapWooCommerceProduct(p: WooProductPayload, variations: WooVariationPayload[] = []): CatalogProductInput {
  const handle = (p.slug || p.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || `woo-${p.id}`;
  const forSale = (status: string | null | undefined, purchasable: boolean | null | undefined) =>
    (status ?? 'publish') === 'publish' && purchasable !== false;
  const ref = (variantId: number) => ({ channel: WOOCOMMERCE_CHANNEL, external_variant_id: String(variantId), external_product_id: String(p.id) });
  const variants =
    p.type === 'variable'
      ? variations.map((v) => ({
          sku: skuOf(v.sku, v.id),
          options: Object.fromEntries((v.attributes ?? []).map((a) => [a.name ?? 'Option', a.option ?? ''])),
          price: price(v.price, v.regular_price),
          available: forSale(v.status, v.purchasable) && forSale(p.status, true),
          channel: ref(v.id),
        }))
      : [{ sku: skuOf(p.sku, p.id), options: {}, price: price(p.price, p.regular_price), available: forSale(p.status, p.purchasable), channel: ref(p.id) }];
  return catalogProductInputSchema.parse({
    handle,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    ...(p.tags?.length ? { tags: p.tags.map((t) => t.name).filter(Boolean) } : {}),
    variants,
  });
}
