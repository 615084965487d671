import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import type { CatalogProductInput } from './catalog-product-input.js';

export interface UpsertCatalogResult {
  productsCreated: number;
  productsUpdated: number;
  variantsCreated: number;
  variantsUpdated: number;
}

/**
 * Creates or updates products and their variants (matched by handle and by SKU) and records each
 * variant's channel ids in the channel's variant map, in one transaction.
 */
export async function upsertCatalog(db: Db, products: CatalogProductInput[], actor: Actor): Promise<UpsertCatalogResult> {
  void db;
  void products;
  void actor;
  throw new Error('upsertCatalog is not built yet');
}
