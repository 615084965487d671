import { catalogProductInputSchema, type CatalogProductInput } from '../../../domain/catalog/catalog-product-input.js';
import { decimalCell, describeIssues, type CsvRejection } from './csv-rejection.js';
import { cell, type CsvRow } from './read-csv-rows.js';

export const productHandleOf = (row: CsvRow): string => cell(row, 'Handle');

const INACTIVE = new Set(['draft', 'archived']);

/**
 * One product from its rows of a Shopify product CSV (columns by header name): the first row
 * carries Title, Body (HTML), Vendor, Type or Product Category, Tags, Status/Published and the
 * option names; every row with a Variant SKU or Variant Price is a variant. Rows with neither
 * (extra images) are skipped. Variant Inventory Qty is not read: stock enters through the
 * movements ledger (`orderops inventory receive`), never from a catalog file.
 */
export function productFromShopifyRows(rows: CsvRow[]): { ok: true; product: CatalogProductInput } | CsvRejection {
  const first = rows[0]!;
  const optionNames = [1, 2, 3].map((i) => cell(first, `Option${i} Name`));
  const status = cell(first, 'Status').toLowerCase();
  const published = cell(first, 'Published').toLowerCase();
  const active = !(INACTIVE.has(status) || published === 'false');
  const variantRows = rows.filter((r) => cell(r, 'Variant SKU') !== '' || cell(r, 'Variant Price') !== '');
  const tags = cell(first, 'Tags');
  const type = cell(first, 'Type') || lastCategory(cell(first, 'Product Category'));
  const candidate = {
    handle: productHandleOf(first),
    name: cell(first, 'Title'),
    ...(type ? { product_type: type } : {}),
    ...(cell(first, 'Body (HTML)') ? { description: cell(first, 'Body (HTML)') } : {}),
    ...(cell(first, 'Vendor') ? { vendor: cell(first, 'Vendor') } : {}),
    ...(tags ? { tags: tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    variants: variantRows.map((r) => {
      const grams = decimalCell(cell(r, 'Variant Grams'));
      const barcode = cell(r, 'Variant Barcode').replace(/^'/, '');
      return {
        sku: cell(r, 'Variant SKU'),
        options: Object.fromEntries(
          optionNames.flatMap((name, i) => {
            const value = cell(r, `Option${i + 1} Value`);
            // "Title: Default Title" is Shopify's placeholder for a product without options.
            return name && value && !(name === 'Title' && value === 'Default Title') ? [[name, value]] : [];
          }),
        ),
        price: decimalCell(cell(r, 'Variant Price')),
        ...(grams !== undefined ? { weight_grams: Number.isFinite(grams) ? Math.round(grams) : grams } : {}),
        available: active,
        ...(barcode ? { barcode } : {}),
      };
    }),
  };
  const parsed = catalogProductInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path[0] === 'variants' && typeof issue.path[1] === 'number' ? variantRows[issue.path[1]]?.line : undefined;
    return { ok: false, line: at ?? first.line, reason: describeIssues(parsed.error) };
  }
  return { ok: true, product: parsed.data };
}

/** "Apparel & Accessories > Clothing > Shirts & Tops" → "Shirts & Tops". */
function lastCategory(category: string): string {
  return category.split('>').pop()?.trim() ?? '';
}
