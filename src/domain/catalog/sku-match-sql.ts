/**
 * Read lookups by SKU ignore case, since people type SKUs as they read them off a label. Writes
 * keep matching exactly. SKUs are unique as written, so two may differ only in case: the exact
 * spelling wins, then the first in catalog order.
 */
export const skuMatchSql = (alias: string, param: string): string =>
  `lower(${alias}.sku) = lower(${param}) ORDER BY (${alias}.sku = ${param}) DESC, ${alias}.seq LIMIT 1`;
