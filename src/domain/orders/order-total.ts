import { toCents, type Cents } from '../money.js';
import type { CanonicalOrder } from './canonical-order.js';

/** The money parts of an order, each in cents. */
export interface OrderTotalParts {
  itemsCents: Cents;
  discountCents: Cents;
  shippingCents: Cents;
  taxCents: Cents;
  totalCents: Cents;
}

type PricedLine = { quantity: number; unitPriceCents: Cents; totalDiscountCents?: Cents };
type TotalInput = Pick<CanonicalOrder, 'discounts' | 'shipping_lines' | 'taxes'>;

/**
 * What the buyer owes: Σ(unit price × quantity) − line discounts − order discounts + shipping +
 * taxes not already inside the prices. A discount aimed at lines is taken to be spread over the lines' own `total_discount`
 * when any line carries one (storefronts send both views of the same money), so it is not
 * subtracted twice.
 */
export function orderTotal(lines: readonly PricedLine[], order: TotalInput): OrderTotalParts {
  const itemsCents = lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const lineDiscountCents = lines.reduce((s, l) => s + (l.totalDiscountCents ?? 0), 0);
  const linesCarryDiscounts = lines.some((l) => (l.totalDiscountCents ?? 0) > 0);
  const orderDiscountCents = (order.discounts ?? [])
    .filter((d) => !(linesCarryDiscounts && d.target === 'line'))
    .reduce((s, d) => s + toCents(d.amount), 0);
  const shippingCents = (order.shipping_lines ?? []).reduce((s, l) => s + toCents(l.price), 0);
  const taxCents = (order.taxes ?? []).reduce((s, t) => s + toCents(t.amount), 0);
  const addedTaxCents = (order.taxes ?? []).filter((t) => !t.included).reduce((s, t) => s + toCents(t.amount), 0);
  const discountCents = lineDiscountCents + orderDiscountCents;
  return { itemsCents, discountCents, shippingCents, taxCents, totalCents: itemsCents - discountCents + shippingCents + addedTaxCents };
}

/** The total of an order as stored: its lines, the lines kept outside the catalog, and its extras. */
export function storedOrderTotal(o: {
  lines: readonly { quantity: number; priceCents: Cents; totalDiscountCents: Cents }[];
  extras: {
    unmatchedLines: readonly Record<string, unknown>[];
    nonStockLines: readonly Record<string, unknown>[];
    shippingLines: NonNullable<TotalInput['shipping_lines']>;
    discounts: NonNullable<TotalInput['discounts']>;
    taxes: NonNullable<TotalInput['taxes']>;
  };
}): OrderTotalParts {
  const loose = [...o.extras.unmatchedLines, ...o.extras.nonStockLines].map((l) => ({
    quantity: Number(l.quantity ?? 0),
    unitPriceCents: typeof l.unit_price === 'number' ? toCents(l.unit_price) : 0,
    totalDiscountCents: typeof l.total_discount === 'number' ? toCents(l.total_discount) : 0,
  }));
  return orderTotal(
    [...o.lines.map((l) => ({ quantity: l.quantity, unitPriceCents: l.priceCents, totalDiscountCents: l.totalDiscountCents })), ...loose],
    { shipping_lines: o.extras.shippingLines, discounts: o.extras.discounts, taxes: o.extras.taxes },
  );
}
