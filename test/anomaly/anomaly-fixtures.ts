import type { Db } from '../../src/db/db.js';

let seq = 0;
const next = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

export interface FixtureOrder {
  orderId: string;
  customerId: string;
}

/**
 * Writes a customer and a pending order with one line and a card payment straight into the
 * ledger tables, as order creation would have left them.
 */
export async function insertOrder(
  db: Db,
  opts: {
    customerId?: string;
    email?: string;
    valueCents?: number;
    placedAt?: Date;
    channel?: string;
    status?: string;
    client?: Record<string, string>;
    card?: { brand: string; lastFour: string };
    address1?: string;
  } = {},
): Promise<FixtureOrder> {
  const id = next();
  const customerId = opts.customerId ?? `cust_${id}`;
  await db.query(
    `INSERT INTO customers (id, first_name, last_name, email) VALUES ($1, 'Ada', 'Buyer', $2) ON CONFLICT (id) DO NOTHING`,
    [customerId, opts.email ?? `${customerId}@example.com`],
  );
  const orderId = `#T${id}`;
  await db.query(
    `INSERT INTO orders (id, customer_id, channel, external_id, status, address1, city, state, country, zip, placed_at, client)
     VALUES ($1, $2, $3, $4, $5, $6, 'Springfield', 'IL', 'USA', '62701', $7, $8)`,
    [
      orderId,
      customerId,
      opts.channel ?? 'shopify',
      `ext_${id}`,
      opts.status ?? 'pending',
      opts.address1 ?? `${id} Main St`,
      (opts.placedAt ?? new Date()).toISOString(),
      opts.client ? JSON.stringify(opts.client) : null,
    ],
  );
  const price = (opts.valueCents ?? 5000) / 100;
  await db.query(
    `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, price, quantity) VALUES ($1, 1, 'p1', 'v1', 'Tee', $2, 1)`,
    [orderId, price],
  );
  const pmId = `credit_card_${id}`;
  await db.query(`INSERT INTO payment_methods (id, customer_id, source, brand, last_four) VALUES ($1, $2, 'credit_card', $3, $4)`, [
    pmId,
    customerId,
    opts.card?.brand ?? 'visa',
    opts.card?.lastFour ?? id.slice(-4).padStart(4, '0'),
  ]);
  await db.query(`INSERT INTO payments (order_id, position, kind, amount, payment_method_id) VALUES ($1, 1, 'payment', $2, $3)`, [
    orderId,
    price,
    pmId,
  ]);
  return { orderId, customerId };
}

export async function orderStatus(db: Db, orderId: string): Promise<string> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
  return rows[0]!.status;
}
