import type { CsvRow } from './read-csv-rows.js';

/**
 * Gathers consecutive rows that share a key into one group: Shopify exports write an order's
 * line items (or a product's variants) one after another, the first row carrying the rest.
 * Only one group is held at a time.
 */
export async function* groupConsecutiveRows(rows: AsyncIterable<CsvRow>, keyOf: (row: CsvRow) => string): AsyncGenerator<CsvRow[]> {
  let group: CsvRow[] = [];
  let key: string | undefined;
  for await (const row of rows) {
    const k = keyOf(row);
    if (group.length > 0 && k !== key) {
      yield group;
      group = [];
    }
    key = k;
    group.push(row);
  }
  if (group.length > 0) yield group;
}
