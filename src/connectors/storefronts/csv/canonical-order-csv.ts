import { decimalCell } from './csv-rejection.js';
import { cell, type CsvRow } from './read-csv-rows.js';
import { parseCandidate, type CsvOrderResult } from './shopify-order-csv.js';

/**
 * The canonical CSV layout: one row per line, the order's columns read from its first row,
 * consecutive rows with the same channel and external_id forming one order. Columns, by name
 * (any order; only external_id, email, first_name, last_name, line_quantity and one of line_sku /
 * line_external_variant_id are needed):
 *
 *   channel, external_id, placed_at, currency, email, first_name, last_name, phone,
 *   ship_name, ship_address1, ship_address2, ship_city, ship_state, ship_country, ship_zip, ship_phone,
 *   bill_name, bill_address1, bill_address2, bill_city, bill_state, bill_country, bill_zip,
 *   shipping_method, shipping_price, service_level, discount_code, discount_amount,
 *   tax_title, tax_amount, note, tags (comma-separated), payment_method (card|paypal), payment_amount,
 *   line_sku, line_external_variant_id, line_title, line_quantity, line_unit_price,
 *   line_total_discount, line_requires_shipping (true|false), line_gift_card (true|false)
 */
export const CANONICAL_ORDER_COLUMNS = [
  'channel', 'external_id', 'placed_at', 'currency', 'email', 'first_name', 'last_name', 'phone',
  'ship_name', 'ship_address1', 'ship_address2', 'ship_city', 'ship_state', 'ship_country', 'ship_zip', 'ship_phone',
  'bill_name', 'bill_address1', 'bill_address2', 'bill_city', 'bill_state', 'bill_country', 'bill_zip',
  'shipping_method', 'shipping_price', 'service_level', 'discount_code', 'discount_amount', 'tax_title', 'tax_amount',
  'note', 'tags', 'payment_method', 'payment_amount', 'line_sku', 'line_external_variant_id', 'line_title',
  'line_quantity', 'line_unit_price', 'line_total_discount', 'line_requires_shipping', 'line_gift_card',
] as const;

export const canonicalOrderKeyOf = (row: CsvRow): string => `${cell(row, 'channel')}\u0000${cell(row, 'external_id')}`;

const flag = (value: string) => (value === '' ? undefined : value.toLowerCase() === 'true' ? true : value.toLowerCase() === 'false' ? false : value);

/** One order from its rows of a canonical CSV; `channel` when the file has no channel column. */
export function orderFromCanonicalRows(rows: CsvRow[], channel: string): CsvOrderResult {
  const first = rows[0]!;
  const c = (name: string) => cell(first, name);
  const opt = <T>(key: string, value: T | undefined | '') => (value === undefined || value === '' ? {} : { [key]: value });
  const address = (p: 'ship' | 'bill') =>
    c(`${p}_address1`)
      ? {
          address1: c(`${p}_address1`),
          ...opt('address2', c(`${p}_address2`)),
          city: c(`${p}_city`),
          state: c(`${p}_state`),
          country: c(`${p}_country`),
          zip: c(`${p}_zip`),
          ...opt('name', c(`${p}_name`)),
          ...opt('phone', cell(first, `${p}_phone`)),
        }
      : undefined;
  const candidate = {
    channel: c('channel') || channel,
    external_id: c('external_id'),
    ...opt('placed_at', c('placed_at')),
    ...opt('currency', c('currency')),
    customer: { email: c('email'), first_name: c('first_name'), last_name: c('last_name'), ...opt('phone', c('phone')) },
    ...opt('shipping_address', address('ship')),
    ...opt('billing_address', address('bill')),
    ...(c('shipping_method') ? { shipping_lines: [{ title: c('shipping_method'), price: decimalCell(c('shipping_price')) ?? 0 }] } : {}),
    ...opt('service_level', c('service_level')),
    ...(c('discount_amount') ? { discounts: [{ ...opt('code', c('discount_code')), amount: decimalCell(c('discount_amount')) }] } : {}),
    ...(c('tax_amount') ? { taxes: [{ title: c('tax_title') || 'Tax', amount: decimalCell(c('tax_amount')) }] } : {}),
    ...opt('note', c('note')),
    ...(c('tags') ? { tags: c('tags').split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    lines: rows.map((r) => ({
      ...opt('sku', cell(r, 'line_sku')),
      ...opt('external_variant_id', cell(r, 'line_external_variant_id')),
      ...opt('title', cell(r, 'line_title')),
      quantity: decimalCell(cell(r, 'line_quantity')),
      ...opt('unit_price', decimalCell(cell(r, 'line_unit_price'))),
      ...opt('total_discount', decimalCell(cell(r, 'line_total_discount'))),
      ...opt('requires_shipping', flag(cell(r, 'line_requires_shipping'))),
      ...opt('gift_card', flag(cell(r, 'line_gift_card'))),
    })),
    payment: { method: c('payment_method') || 'card', ...opt('amount', decimalCell(c('payment_amount'))) },
  };
  return parseCandidate(candidate, first.line);
}
