import type { z } from 'zod';
import type { catalogProductInputSchema } from '../../../domain/catalog/catalog-product-input.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';
import { parseShopifyTags } from './parse-shopify-tags.js';
import { shopifyGid } from './shopify-gid.js';
import type { ShopifyProductPayload } from './shopify-product-payload.js';

type ProductDraft = z.input<typeof catalogProductInputSchema>;

/**
 * Shopify's product (webhook body) as catalog input: one variant per SKU, options by the product's
 * option names, and each variant's Shopify ids (variant, product, inventory item as the gid stock
 * pushes use). A variant without a SKU has no key to match on and is left out.
 */
export function mapShopifyProduct(p: ShopifyProductPayload): ProductDraft {
  const optionNames = [...(p.options ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((o) => o.name);
  const tags = parseShopifyTags(p.tags).slice(0, 250);
  return {
    handle: p.handle,
    name: p.title,
    ...(p.product_type?.trim() ? { product_type: p.product_type.trim() } : {}),
    ...(p.body_html ? { description: p.body_html } : {}),
    ...(p.vendor?.trim() ? { vendor: p.vendor.trim() } : {}),
    ...(tags.length ? { tags } : {}),
    variants: p.variants
      .filter((v) => v.sku?.trim())
      .map((v) => {
        const options: Record<string, string> = {};
        [v.option1, v.option2, v.option3].forEach((value, i) => {
          if (value && optionNames[i] && !(optionNames[i] === 'Title' && value === 'Default Title')) options[optionNames[i]!] = value;
        });
        return {
          sku: v.sku!.trim(),
          options,
          price: Math.round(Number(v.price) * 100) / 100,
          ...(typeof v.grams === 'number' && v.grams >= 0 ? { weight_grams: v.grams } : {}),
          ...(p.status && p.status !== 'active' ? { available: false } : {}),
          ...(v.barcode?.trim() ? { barcode: v.barcode.trim() } : {}),
          channel: {
            channel: SHOPIFY_CHANNEL,
            external_variant_id: String(v.id),
            external_product_id: String(p.id),
            ...(v.inventory_item_id !== null && v.inventory_item_id !== undefined
              ? { external_inventory_item_id: shopifyGid('InventoryItem', v.inventory_item_id) }
              : {}),
          },
        };
      }),
  };
}
