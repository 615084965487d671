import type { Db } from '../../db/db.js';
import { fromCents, toCents, type Cents } from '../money.js';
import type { RetailPaymentMethod } from '../customers/retail-user.js';

export type PaymentSource = 'credit_card' | 'paypal' | 'gift_card';

export interface PaymentMethodRecord {
  id: string;
  customerId: string;
  source: PaymentSource;
  brand: string | null;
  lastFour: string | null;
  /** Gift cards only; null for cards and PayPal. */
  balanceCents: Cents | null;
}

interface PaymentMethodRow {
  id: string;
  customer_id: string;
  source: PaymentSource;
  brand: string | null;
  last_four: string | null;
  balance: string | null;
}

const toRecord = (r: PaymentMethodRow): PaymentMethodRecord => ({
  id: r.id,
  customerId: r.customer_id,
  source: r.source,
  brand: r.brand,
  lastFour: r.last_four,
  balanceCents: r.balance === null ? null : toCents(r.balance),
});

/**
 * The customer's payment method with this id, or null when the customer has none by that id
 * (a method of another customer counts as missing). `forUpdate` locks it so a balance check
 * still holds when the caller writes.
 */
export async function findCustomerPaymentMethod(
  db: Db,
  customerId: string,
  paymentMethodId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaymentMethodRecord | null> {
  const { rows } = await db.query<PaymentMethodRow>(
    `SELECT id, customer_id, source, brand, last_four, balance::text AS balance FROM payment_methods
      WHERE id = $1 AND customer_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [paymentMethodId, customerId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Every payment method of the customer, in the order they were added. */
export async function listCustomerPaymentMethods(db: Db, customerId: string): Promise<PaymentMethodRecord[]> {
  const { rows } = await db.query<PaymentMethodRow>(
    `SELECT id, customer_id, source, brand, last_four, balance::text AS balance FROM payment_methods
      WHERE customer_id = $1 ORDER BY seq`,
    [customerId],
  );
  return rows.map(toRecord);
}

/** The method in the tau-retail JSON shape. */
export function toRetailPaymentMethod(m: PaymentMethodRecord): RetailPaymentMethod {
  if (m.source === 'gift_card') return { source: 'gift_card', balance: fromCents(m.balanceCents ?? 0), id: m.id };
  if (m.source === 'credit_card') return { source: 'credit_card', brand: m.brand ?? '', last_four: m.lastFour ?? '', id: m.id };
  return { source: 'paypal', id: m.id };
}
