import type { Db } from '../../db/db.js';
import { hashedDigits } from '../hashed-digits.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { writeOutbox } from '../events/write-outbox.js';
import { centsToNumeric, toCents } from '../money.js';
import type { VariantRow } from './catalog-repository.js';
import type { CatalogProductInput, CatalogVariantInput } from './catalog-product-input.js';

export interface UpsertCatalogResult {
  productsCreated: number;
  productsUpdated: number;
  variantsCreated: number;
  variantsUpdated: number;
  /** Channel variant map rows created or changed. */
  channelVariantsWritten: number;
  /** Our product id for each input product, in input order. */
  productIds: string[];
}

// A concurrent writer taking the same handle or SKU first, or a broken lock cycle: start over.
const RETRYABLE = new Set(['23505', '40P01', '40001']);
const MAX_ATTEMPTS = 5;

/**
 * Creates or updates products and their variants (matched by handle and by SKU) and records each
 * variant's channel ids in the channel's variant map, in one transaction. A product with a new
 * handle adopts the product its SKUs already belong to when that one has no handle yet. Only what
 * changed is written; when anything did, one audit row per product and one `catalog.updated`
 * outbox event, so the same input twice writes nothing the second time.
 */
export async function upsertCatalog(db: Db, products: CatalogProductInput[], actor: Actor): Promise<UpsertCatalogResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => writeCatalog(tx, products, actor));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

interface ProductRow {
  id: string;
  handle: string | null;
  name: string;
  product_type: string;
  description: string;
  vendor: string | null;
  tags: string[];
}

interface StoredVariant extends VariantRow {
  weight_grams: number;
  barcode: string | null;
}

async function writeCatalog(tx: Db, products: CatalogProductInput[], actor: Actor): Promise<UpsertCatalogResult> {
  const result: UpsertCatalogResult = {
    productsCreated: 0,
    productsUpdated: 0,
    variantsCreated: 0,
    variantsUpdated: 0,
    channelVariantsWritten: 0,
    productIds: [],
  };
  const changedProducts: string[] = [];
  const changedVariants: string[] = [];
  for (const input of products) {
    const { product, created } = await productFor(tx, input);
    const productChanges = created ? {} : await updateProduct(tx, product, input);
    const variantChanges: Record<string, unknown>[] = [];
    for (const v of input.variants) {
      const change = await upsertVariant(tx, product.id, v);
      if (change.kind === 'created') result.variantsCreated++;
      if (change.kind === 'updated') result.variantsUpdated++;
      if (change.kind !== 'unchanged') variantChanges.push({ sku: v.sku, variantId: change.variantId, [change.kind]: change.fields });
      if (v.channel && (await mapChannelVariant(tx, change.variantId, v.channel))) {
        result.channelVariantsWritten++;
        if (change.kind === 'unchanged') variantChanges.push({ sku: v.sku, variantId: change.variantId, channel: v.channel });
      }
      if (change.kind !== 'unchanged') changedVariants.push(change.variantId);
    }
    result.productIds.push(product.id);
    const productChanged = Object.keys(productChanges).length > 0;
    if (created) result.productsCreated++;
    else if (productChanged) result.productsUpdated++;
    if (created || productChanged || variantChanges.length > 0) {
      changedProducts.push(product.id);
      await recordAudit(tx, actor, {
        action: created ? 'catalog.product_created' : 'catalog.product_updated',
        entityType: 'product',
        entityId: product.id,
        data: { handle: input.handle, ...(productChanged ? { changed: productChanges } : {}), variants: variantChanges },
      });
    }
  }
  if (changedProducts.length > 0) {
    await writeOutbox(tx, 'catalog.updated', { productIds: changedProducts, variantIds: changedVariants });
  }
  return result;
}

async function productFor(tx: Db, input: CatalogProductInput): Promise<{ product: ProductRow; created: boolean }> {
  const cols = 'id, handle, name, product_type, description, vendor, tags';
  const byHandle = await tx.query<ProductRow>(`SELECT ${cols} FROM products WHERE handle = $1 FOR UPDATE`, [input.handle]);
  if (byHandle.rows[0]) return { product: byHandle.rows[0], created: false };
  // A product loaded before handles existed (seed data) is recognised by its SKUs.
  const adopted = await tx.query<ProductRow>(
    `SELECT ${cols} FROM products
      WHERE handle IS NULL AND id IN (SELECT product_id FROM variants WHERE sku = ANY($1::text[]))
      ORDER BY seq LIMIT 1 FOR UPDATE`,
    [input.variants.map((v) => v.sku)],
  );
  if (adopted.rows[0]) {
    await tx.query('UPDATE products SET handle = $2 WHERE id = $1', [adopted.rows[0].id, input.handle]);
    return { product: { ...adopted.rows[0], handle: input.handle }, created: false };
  }
  for (let probe = 0; probe < 20; probe++) {
    const id = hashedDigits(`product\u0000${input.handle}\u0000${probe}`, 10);
    const ins = await tx.query<ProductRow>(
      `INSERT INTO products (id, handle, name, product_type, description, vendor, tags)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${cols}`,
      [id, input.handle, input.name, input.product_type ?? input.name, input.description ?? '', input.vendor ?? null, input.tags ?? []],
    );
    if (ins.rows[0]) return { product: ins.rows[0], created: true };
    const raced = await tx.query<ProductRow>(`SELECT ${cols} FROM products WHERE handle = $1 FOR UPDATE`, [input.handle]);
    if (raced.rows[0]) return { product: raced.rows[0], created: false };
  }
  throw new Error(`no free product id for handle ${input.handle}`);
}

/** Writes the fields that differ; returns them as {field: new value}. Omitted optional fields are kept. */
async function updateProduct(tx: Db, row: ProductRow, input: CatalogProductInput): Promise<Record<string, unknown>> {
  const wanted: Partial<ProductRow> = {
    name: input.name,
    ...(input.product_type !== undefined ? { product_type: input.product_type } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.vendor !== undefined ? { vendor: input.vendor } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
  };
  const changed = Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(row[k as keyof ProductRow])),
  );
  if (Object.keys(changed).length === 0) return {};
  await tx.query(
    `UPDATE products SET name = $2, product_type = $3, description = $4, vendor = $5, tags = $6 WHERE id = $1`,
    [
      row.id,
      wanted.name,
      wanted.product_type ?? row.product_type,
      wanted.description ?? row.description,
      wanted.vendor ?? row.vendor,
      wanted.tags ?? row.tags,
    ],
  );
  return changed;
}

type VariantChange =
  | { kind: 'created' | 'updated'; variantId: string; fields: Record<string, unknown> }
  | { kind: 'unchanged'; variantId: string };

async function upsertVariant(tx: Db, productId: string, v: CatalogVariantInput): Promise<VariantChange> {
  const cols = 'id, product_id, sku, options, price::text AS price, weight_grams, available, barcode';
  let row = (await tx.query<StoredVariant>(`SELECT ${cols} FROM variants WHERE sku = $1 FOR UPDATE`, [v.sku])).rows[0];
  if (!row) {
    for (let probe = 0; probe < 20 && !row; probe++) {
      const id = hashedDigits(`variant\u0000${v.sku}\u0000${probe}`, 10);
      const ins = await tx.query<{ id: string }>(
        `INSERT INTO variants (id, product_id, sku, options, price, weight_grams, available, barcode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
        [id, productId, v.sku, JSON.stringify(v.options), centsToNumeric(toCents(v.price)), v.weight_grams ?? 0, v.available ?? true, v.barcode ?? null],
      );
      if (ins.rows[0]) {
        return { kind: 'created', variantId: id, fields: { price: v.price, options: v.options } };
      }
      row = (await tx.query<StoredVariant>(`SELECT ${cols} FROM variants WHERE sku = $1 FOR UPDATE`, [v.sku])).rows[0];
    }
    if (!row) throw new Error(`no free variant id for SKU ${v.sku}`);
  }
  const fields: Record<string, unknown> = {};
  if (row.product_id !== productId) fields.product_id = productId;
  if (canonicalJson(row.options) !== canonicalJson(v.options)) fields.options = v.options;
  if (toCents(row.price) !== toCents(v.price)) fields.price = v.price;
  if (v.weight_grams !== undefined && v.weight_grams !== row.weight_grams) fields.weight_grams = v.weight_grams;
  if (v.available !== undefined && v.available !== row.available) fields.available = v.available;
  if (v.barcode !== undefined && v.barcode !== row.barcode) fields.barcode = v.barcode;
  if (Object.keys(fields).length === 0) return { kind: 'unchanged', variantId: row.id };
  await tx.query(
    `UPDATE variants SET product_id = $2, options = $3, price = $4, weight_grams = $5, available = $6, barcode = $7 WHERE id = $1`,
    [
      row.id,
      productId,
      JSON.stringify(v.options),
      centsToNumeric(toCents(v.price)),
      v.weight_grams ?? row.weight_grams,
      v.available ?? row.available,
      v.barcode ?? row.barcode,
    ],
  );
  return { kind: 'updated', variantId: row.id, fields };
}

/** Points the channel's variant id at ours; true when the row was new or changed. */
async function mapChannelVariant(tx: Db, variantId: string, ref: NonNullable<CatalogVariantInput['channel']>): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO channel_variants (channel, external_variant_id, variant_id, external_product_id, external_inventory_item_id)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (channel, external_variant_id) DO UPDATE
        SET variant_id = EXCLUDED.variant_id,
            external_product_id = COALESCE(EXCLUDED.external_product_id, channel_variants.external_product_id),
            external_inventory_item_id = COALESCE(EXCLUDED.external_inventory_item_id, channel_variants.external_inventory_item_id),
            updated_at = now()
      WHERE channel_variants.variant_id IS DISTINCT FROM EXCLUDED.variant_id
         OR (EXCLUDED.external_product_id IS NOT NULL AND channel_variants.external_product_id IS DISTINCT FROM EXCLUDED.external_product_id)
         OR (EXCLUDED.external_inventory_item_id IS NOT NULL
             AND channel_variants.external_inventory_item_id IS DISTINCT FROM EXCLUDED.external_inventory_item_id)
     RETURNING 1`,
    [ref.channel, ref.external_variant_id, variantId, ref.external_product_id ?? null, ref.external_inventory_item_id ?? null],
  );
  return rows.length > 0;
}

function canonicalJson(value: Record<string, string>): string {
  return JSON.stringify(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

