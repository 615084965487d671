import type { Db } from '../../db/db.js';
import { fromCents, toCents, type Cents } from '../money.js';
import type { RetailProduct, RetailVariant } from './retail-product.js';

export interface VariantRecord {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  priceCents: Cents;
  available: boolean;
}

/** A variants row as the repository selects it (price as text). */
export interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  options: Record<string, string>;
  price: string;
  available: boolean;
}

const toVariant = (r: VariantRow): VariantRecord => ({
  id: r.id,
  productId: r.product_id,
  sku: r.sku,
  options: r.options,
  priceCents: toCents(r.price),
  available: r.available,
});

export const toRetailVariant = (v: VariantRecord): RetailVariant => ({
  item_id: v.id,
  options: { ...v.options },
  available: v.available,
  price: fromCents(v.priceCents),
});

/** One variant by id (the tau-retail item id), or null. */
export async function getVariant(db: Db, itemId: string): Promise<VariantRecord | null> {
  const { rows } = await db.query<VariantRow>(
    'SELECT id, product_id, sku, options, price::text AS price, available FROM variants WHERE id = $1',
    [itemId],
  );
  return rows[0] ? toVariant(rows[0]) : null;
}

/** The product with all its variants in the tau-retail shape, or null. */
export async function getProductDetails(db: Db, productId: string): Promise<RetailProduct | null> {
  const { rows: products } = await db.query<{ id: string; name: string }>('SELECT id, name FROM products WHERE id = $1', [productId]);
  const product = products[0];
  if (!product) return null;
  const { rows } = await db.query<VariantRow>(
    'SELECT id, product_id, sku, options, price::text AS price, available FROM variants WHERE product_id = $1 ORDER BY seq',
    [productId],
  );
  return {
    name: product.name,
    product_id: product.id,
    variants: Object.fromEntries(rows.map((r) => [r.id, toRetailVariant(toVariant(r))])),
  };
}

/**
 * Product name → product id for every product, sorted by name by code point (as the
 * reference's sorted() does; a collation-aware ORDER BY could differ).
 */
export async function listProductTypes(db: Db): Promise<Record<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM products');
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.fromEntries(rows.map((r) => [r.name, r.id]));
}
