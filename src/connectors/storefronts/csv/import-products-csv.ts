import type { Readable } from 'node:stream';
import type { Db } from '../../../db/db.js';
import type { Actor } from '../../../domain/actor.js';
import { isDomainError } from '../../../domain/domain-error.js';
import { upsertCatalog } from '../../../domain/catalog/upsert-catalog.js';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows } from './read-csv-rows.js';
import { productFromShopifyRows, productHandleOf } from './shopify-product-csv.js';

export interface ImportProductsSummary {
  rows: number;
  products: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Streams a Shopify product CSV into the catalog, one product per transaction, so a product that
 * cannot be read (or that the database refuses) is rejected whole and the rest go in.
 */
export async function importProductsCsv(
  db: Db,
  input: Readable,
  options: { actor: Actor; onRejected?: (r: { line: number; handle: string; reason: string }) => void },
): Promise<ImportProductsSummary> {
  const summary: ImportProductsSummary = { rows: 0, products: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for await (const group of groupConsecutiveRows(readCsvRows(input), productHandleOf)) {
    summary.rows += group.length;
    summary.products++;
    const parsed = productFromShopifyRows(group);
    if (!parsed.ok) {
      summary.rejected++;
      options.onRejected?.({ line: parsed.line, handle: productHandleOf(group[0]!), reason: parsed.reason });
      continue;
    }
    try {
      const r = await upsertCatalog(db, [parsed.product], options.actor);
      if (r.productsCreated > 0) summary.created++;
      else if (r.productsUpdated + r.variantsCreated + r.variantsUpdated + r.channelVariantsWritten > 0) summary.updated++;
      else summary.unchanged++;
    } catch (err) {
      // A SKU another product of the file already took, a value the database refuses.
      if (!isDomainError(err) && typeof (err as { code?: unknown }).code !== 'string') throw err;
      summary.rejected++;
      options.onRejected?.({ line: group[0]!.line, handle: parsed.product.handle, reason: (err as Error).message });
    }
  }
  return summary;
}
