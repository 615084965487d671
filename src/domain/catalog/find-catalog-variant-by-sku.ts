import type { Db } from '../../db/db.js';
import { fromCents, toCents } from '../money.js';
import { skuMatchSql } from './sku-match-sql.js';

/** A variant by SKU with its product and its ids in every channel, as the API shows it; null when unknown. */
export async function findCatalogVariantBySku(db: Db, sku: string) {
  const { rows } = await db.query<{
    id: string;
    sku: string;
    options: Record<string, string>;
    price: string;
    weight_grams: number;
    available: boolean;
    barcode: string | null;
    product_id: string;
    handle: string | null;
    name: string;
    product_type: string;
    vendor: string | null;
    tags: string[];
    channels: { channel: string; external_variant_id: string; external_product_id: string | null; external_inventory_item_id: string | null }[];
  }>(
    `SELECT v.id, v.sku, v.options, v.price::text AS price, v.weight_grams, v.available, v.barcode,
            p.id AS product_id, p.handle, p.name, p.product_type, p.vendor, p.tags,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('channel', cv.channel, 'external_variant_id', cv.external_variant_id,
                        'external_product_id', cv.external_product_id, 'external_inventory_item_id', cv.external_inventory_item_id)
                        ORDER BY cv.channel, cv.external_variant_id)
                        FROM channel_variants cv WHERE cv.variant_id = v.id), '[]'::jsonb) AS channels
       FROM variants v JOIN products p ON p.id = v.product_id WHERE ${skuMatchSql('v', '$1')}`,
    [sku],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    product: { id: r.product_id, handle: r.handle, name: r.name, product_type: r.product_type, vendor: r.vendor, tags: r.tags },
    variant: {
      id: r.id,
      sku: r.sku,
      options: r.options,
      price: fromCents(toCents(r.price)),
      weight_grams: r.weight_grams,
      available: r.available,
      barcode: r.barcode,
    },
    channel_variants: r.channels,
  };
}
