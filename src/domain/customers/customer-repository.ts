import type { Db } from '../../db/db.js';
import { listCustomerPaymentMethods, toRetailPaymentMethod } from '../payments/payment-method-repository.js';
import type { RetailUser } from './retail-user.js';

/** The first customer (in import order) whose email matches ignoring case, or null. */
export async function findCustomerIdByEmail(db: Db, email: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM customers WHERE lower(email) = lower($1) ORDER BY seq LIMIT 1',
    [email],
  );
  return rows[0]?.id ?? null;
}

/** The first customer whose first and last name match ignoring case and whose zip is exactly `zip`. */
export async function findCustomerIdByNameZip(db: Db, firstName: string, lastName: string, zip: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM customers WHERE lower(first_name) = lower($1) AND lower(last_name) = lower($2) AND zip = $3
      ORDER BY seq LIMIT 1`,
    [firstName, lastName, zip],
  );
  return rows[0]?.id ?? null;
}

interface CustomerRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
  orders: string[];
}

/** The customer in the tau-retail user shape (orders in the customer's own order), or null. */
export async function getCustomerDetails(db: Db, customerId: string): Promise<RetailUser | null> {
  const { rows } = await db.query<CustomerRow>(
    `SELECT c.id, c.first_name, c.last_name, c.email, c.address1, c.address2, c.city, c.state, c.country, c.zip,
            COALESCE((SELECT array_agg(o.id ORDER BY o.seq) FROM orders o WHERE o.customer_id = c.id), '{}') AS orders
       FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  const c = rows[0];
  if (!c) return null;
  const methods = await listCustomerPaymentMethods(db, customerId);
  return {
    name: { first_name: c.first_name, last_name: c.last_name },
    address: { address1: c.address1, address2: c.address2, city: c.city, country: c.country, state: c.state, zip: c.zip },
    email: c.email,
    payment_methods: Object.fromEntries(methods.map((m) => [m.id, toRetailPaymentMethod(m)])),
    orders: c.orders,
  };
}
