import type { Db } from '../../db/db.js';
import { fromCents, toCents } from '../money.js';
import { containsPattern } from '../paging/ilike-pattern.js';
import { decodePageCursor } from '../paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../paging/page.js';

/** A product with its variants, as the product list shows it (snake_case, money in units). */
export interface ProductListItem {
  id: string;
  name: string;
  product_type: string;
  handle: string | null;
  vendor: string | null;
  variants: { id: string; sku: string; options: Record<string, string>; price: number; available: boolean }[];
}

const LIST = 'products';

/**
 * Products in catalog order, a page at a time. `q` matches part of the product name or of any
 * of its SKUs, ignoring case, so a SKU typed in lower case finds its product.
 */
export async function listProducts(db: Db, filter: { q?: string }, page: PageRequest): Promise<Page<ProductListItem>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.q !== undefined) {
    const like = param(containsPattern(filter.q));
    where.push(`(p.name ILIKE ${like} OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.sku ILIKE ${like}))`);
  }
  if (page.cursor !== null) {
    const [seq] = decodePageCursor(LIST, page.cursor, ['number']);
    where.push(`p.seq > ${param(seq)}`);
  }
  const { rows } = await db.query<{
    id: string;
    seq: string | number;
    name: string;
    product_type: string;
    handle: string | null;
    vendor: string | null;
    variants: { id: string; sku: string; options: Record<string, string>; price: string; available: boolean }[];
  }>(
    `SELECT p.id, p.seq, p.name, p.product_type, p.handle, p.vendor,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('id', v.id, 'sku', v.sku, 'options', v.options, 'price', v.price::text,
                        'available', v.available) ORDER BY v.seq) FROM variants v WHERE v.product_id = p.id), '[]'::jsonb) AS variants
       FROM products p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.seq LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return takePage(
    LIST,
    rows,
    page.limit,
    (r) => [Number(r.seq)],
    (r) => ({
      id: r.id,
      name: r.name,
      product_type: r.product_type,
      handle: r.handle,
      vendor: r.vendor,
      variants: r.variants.map((v) => ({ ...v, price: fromCents(toCents(v.price)) })),
    }),
  );
}
