import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/db.js';
import type { RetailProduct } from '../../domain/catalog/retail-product.js';
import { toRetailVariant } from '../../domain/catalog/catalog-repository.js';
import type { RetailUser } from '../../domain/customers/retail-user.js';
import { DomainError } from '../../domain/domain-error.js';
import { toCents } from '../../domain/money.js';
import { loadOrders, toRetailOrder } from '../../domain/orders/order-repository.js';
import type { RetailOrder } from '../../domain/orders/retail-order.js';
import { toRetailPaymentMethod, type PaymentSource } from '../../domain/payments/payment-method-repository.js';
import { TAU_RETAIL_CHANNEL } from './import-tau-retail.js';

export interface TauRetailExport {
  users: Record<string, RetailUser>;
  orders: Record<string, RetailOrder>;
  products: Record<string, RetailProduct>;
}

/**
 * The database in the three tau-retail shapes: every customer, every product, and the orders of
 * the tau-retail channel (customers' order lists name only those).
 */
export async function exportTauRetailData(db: Db): Promise<TauRetailExport> {
  const { rows: ids } = await db.query<{ id: string }>('SELECT id FROM orders WHERE channel = $1 ORDER BY seq', [TAU_RETAIL_CHANNEL]);
  const orderRecords = await loadOrders(db, ids.map((r) => r.id));
  const orders: Record<string, RetailOrder> = {};
  const ordersByCustomer = new Map<string, string[]>();
  for (const o of orderRecords) {
    orders[o.id] = toRetailOrder(o);
    ordersByCustomer.set(o.customerId, [...(ordersByCustomer.get(o.customerId) ?? []), o.id]);
  }

  const { rows: customers } = await db.query<Record<string, string>>(
    'SELECT id, first_name, last_name, email, address1, address2, city, state, country, zip FROM customers ORDER BY seq',
  );
  const { rows: methods } = await db.query<{ id: string; customer_id: string; source: PaymentSource; brand: string | null; last_four: string | null; balance: string | null }>(
    'SELECT id, customer_id, source, brand, last_four, balance::text AS balance FROM payment_methods ORDER BY seq',
  );
  const users: Record<string, RetailUser> = {};
  for (const c of customers) {
    users[c.id!] = {
      name: { first_name: c.first_name!, last_name: c.last_name! },
      address: { address1: c.address1!, address2: c.address2!, city: c.city!, country: c.country!, state: c.state!, zip: c.zip! },
      email: c.email!,
      payment_methods: {},
      orders: ordersByCustomer.get(c.id!) ?? [],
    };
  }
  for (const m of methods) {
    const user = users[m.customer_id];
    if (!user) continue;
    user.payment_methods[m.id] = toRetailPaymentMethod({
      id: m.id,
      customerId: m.customer_id,
      source: m.source,
      brand: m.brand,
      lastFour: m.last_four,
      balanceCents: m.balance === null ? null : toCents(m.balance),
    });
  }

  const { rows: products } = await db.query<{ id: string; name: string }>('SELECT id, name FROM products ORDER BY seq');
  const { rows: variants } = await db.query<{ id: string; product_id: string; sku: string; options: Record<string, string>; price: string; available: boolean }>(
    'SELECT id, product_id, sku, options, price::text AS price, available FROM variants ORDER BY seq',
  );
  const productsOut: Record<string, RetailProduct> = {};
  for (const p of products) productsOut[p.id] = { name: p.name, product_id: p.id, variants: {} };
  for (const v of variants) {
    const product = productsOut[v.product_id];
    if (!product) continue;
    product.variants[v.id] = toRetailVariant({
      id: v.id,
      productId: v.product_id,
      sku: v.sku,
      options: v.options,
      priceCents: toCents(v.price),
      available: v.available,
    });
  }
  return { users, orders, products: productsOut };
}

/** Writes users.json, orders.json and products.json into an existing directory. */
export async function exportTauRetail(db: Db, dir: string): Promise<{ users: number; orders: number; products: number }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DomainError('not_found', 'tau_retail_dir_missing', `directory not found: ${dir}`);
  }
  const data = await exportTauRetailData(db);
  writeFileSync(join(dir, 'users.json'), `${JSON.stringify(data.users, null, 2)}\n`);
  writeFileSync(join(dir, 'orders.json'), `${JSON.stringify(data.orders, null, 2)}\n`);
  writeFileSync(join(dir, 'products.json'), `${JSON.stringify(data.products, null, 2)}\n`);
  return { users: Object.keys(data.users).length, orders: Object.keys(data.orders).length, products: Object.keys(data.products).length };
}
