import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';

/** The variant id a SKU names; a DomainError naming the SKU when there is none. */
export async function variantIdOfSku(db: Db, sku: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM variants WHERE sku = $1', [sku]);
  const variant = rows[0];
  if (!variant) throw new DomainError('not_found', 'sku_not_found', `SKU ${sku} not found`);
  return variant.id;
}
