import { channelOrderSchema, type CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import { notCaptured } from '../shopify/map-shopify-order.js';
import { decimalCell, describeIssues, type CsvRejection } from './csv-rejection.js';
import { cell, type CsvRow } from './read-csv-rows.js';

/** Rows of one order share its Name (e.g. "#1001"). */
export const shopifyOrderKeyOf = (row: CsvRow): string => cell(row, 'Name');

export type CsvOrderResult = { ok: true; order: CanonicalOrder } | CsvRejection;

/**
 * One order from its rows of a Shopify orders export: one row per line item, the order's fields
 * on the first row, columns found by header name. The external id is the order's `Id` (the id
 * webhooks carry, so an order imported and later delivered by webhook is one order), its Name
 * when the export has no Id column.
 */
export function orderFromShopifyRows(rows: CsvRow[], channel: string): CsvOrderResult {
  const first = rows[0]!;
  const c = (name: string) => cell(first, name);
  const lines = rows.map((r) => {
    const discount = decimalCell(cell(r, 'Lineitem discount'));
    const requires = cell(r, 'Lineitem requires shipping').toLowerCase();
    return {
      ...(cell(r, 'Lineitem sku') ? { sku: cell(r, 'Lineitem sku') } : {}),
      ...(cell(r, 'Lineitem name') ? { title: cell(r, 'Lineitem name') } : {}),
      quantity: decimalCell(cell(r, 'Lineitem quantity')),
      unit_price: decimalCell(cell(r, 'Lineitem price')),
      ...(discount ? { total_discount: discount } : {}),
      ...(requires === 'false' ? { requires_shipping: false } : {}),
      ...(/gift card/i.test(cell(r, 'Lineitem name')) && requires === 'false' ? { gift_card: true } : {}),
    };
  });
  const linesCarryDiscounts = lines.some((l) => (l.total_discount ?? 0) > 0);
  const discountAmount = decimalCell(c('Discount Amount'));
  const shipping = decimalCell(c('Shipping'));
  const taxes = taxLines(first);
  const name = personName(c('Shipping Name') || c('Billing Name'), c('Email'));
  const candidate = {
    channel,
    external_id: c('Id') || c('Name'),
    ...(c('Created at') ? { placed_at: isoTimestamp(c('Created at')) } : {}),
    ...(c('Currency') ? { currency: c('Currency') } : {}),
    customer: { email: c('Email'), ...name, ...(c('Phone') ? { phone: c('Phone') } : {}) },
    ...addressField('shipping_address', first, 'Shipping'),
    ...addressField('billing_address', first, 'Billing'),
    ...(c('Shipping Method') || shipping
      ? { shipping_lines: [{ title: c('Shipping Method') || 'Shipping', price: shipping ?? 0 }] }
      : {}),
    ...(discountAmount
      ? {
          discounts: [
            { ...(c('Discount Code') ? { code: c('Discount Code') } : { title: 'Discount' }), amount: discountAmount, target: linesCarryDiscounts ? 'line' : 'order' },
          ],
        }
      : {}),
    ...(taxes.length > 0 ? { taxes } : {}),
    ...(c('Notes') ? { note: c('Notes') } : {}),
    ...(c('Tags') ? { tags: c('Tags').split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    lines,
    payment: { method: /paypal/i.test(c('Payment Method')) ? 'paypal' : 'card', ...(c('Total') ? { amount: decimalCell(c('Total')) } : {}), ...notCaptured(c('Financial Status')) },
  };
  return parseCandidate(candidate, first.line);
}

/** Validates a candidate order as a channel order, or rejects it at `line` naming each field. */
export function parseCandidate(candidate: unknown, line: number): CsvOrderResult {
  const parsed = channelOrderSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, line, reason: describeIssues(parsed.error) };
  return { ok: true, order: parsed.data };
}

/** Tax N Name / Tax N Value pairs; one "Taxes" line when the export only has the total. */
function taxLines(row: CsvRow): { title: string; amount: number | undefined }[] {
  const named = [1, 2, 3, 4, 5].flatMap((i) => {
    const amount = decimalCell(cell(row, `Tax ${i} Value`));
    return amount ? [{ title: cell(row, `Tax ${i} Name`) || `Tax ${i}`, amount }] : [];
  });
  if (named.length > 0) return named;
  const total = decimalCell(cell(row, 'Taxes'));
  return total ? [{ title: 'Taxes', amount: total }] : [];
}

function addressField(field: 'shipping_address' | 'billing_address', row: CsvRow, prefix: string): Record<string, unknown> {
  const c = (name: string) => cell(row, `${prefix} ${name}`);
  const address1 = c('Address1') || c('Street');
  if (!address1 && !c('City') && !c('Zip')) return {};
  return {
    [field]: {
      address1,
      ...(c('Address2') ? { address2: c('Address2') } : {}),
      city: c('City'),
      state: c('Province') || c('Province Name'),
      country: c('Country'),
      // Spreadsheet exports keep leading zeros with an apostrophe.
      zip: c('Zip').replace(/^'/, ''),
      ...(c('Name') ? { name: c('Name') } : {}),
      ...(c('Company') ? { company: c('Company') } : {}),
      ...(c('Phone') ? { phone: c('Phone') } : {}),
    },
  };
}

/** "Ada King Lovelace" → Ada / King Lovelace; the email's local part when there is no name. */
function personName(full: string, email: string): { first_name: string; last_name: string } {
  const parts = (full || email.split('@')[0] || '').split(/\s+/).filter(Boolean);
  const first = parts[0] ?? '';
  return { first_name: first, last_name: parts.slice(1).join(' ') || first };
}

/** Shopify's "2024-01-15 10:23:45 -0500" as ISO 8601; anything else is passed on to be judged. */
export function isoTimestamp(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(?:([+-])(\d{2}):?(\d{2})|(Z|UTC))?$/.exec(value);
  if (!m) return value;
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
  const zone = m[3] ? `${m[3]}${m[4]}:${m[5]}` : 'Z';
  return `${m[1]}T${time}${zone}`;
}
