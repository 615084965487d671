import type { Db } from '../../db/db.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { recordAudit } from '../../domain/audit/audit-log.js';
import { DomainError } from '../../domain/domain-error.js';
import { centsToNumeric, toCents } from '../../domain/money.js';
import { readTauRetailDir, type TauRetailData } from './read-tau-retail-dir.js';
import type { TauOrder } from './tau-retail-schema.js';

export const TAU_RETAIL_CHANNEL = 'tau-retail';

export interface TauRetailImportCounts {
  customers: number;
  paymentMethods: number;
  products: number;
  variants: number;
  orders: number;
  orderLines: number;
  fulfilments: number;
  payments: number;
}

// The data has no dates; orders get one hour apart from this instant, in import order, so
// every import of the same files gives the same timestamps.
const PLACED_AT_BASE = Date.UTC(2024, 0, 1);

const money = (n: number) => centsToNumeric(toCents(n));

/** Reads a tau-retail directory (see readTauRetailDir) and imports it. */
export async function importTauRetail(db: Db, dir: string, actor: Actor = systemActor('tau-retail-import')): Promise<TauRetailImportCounts> {
  return importTauRetailData(db, readTauRetailDir(dir), actor);
}

/**
 * Loads customers, payment methods, products, variants and orders (lines, fulfilments, payment
 * ledger) in one transaction, keeping every id. Orders are inserted customer by customer in
 * each customer's own order list, so `orders.seq` reproduces those lists. Refuses, writing
 * nothing, when any id or email is already taken.
 */
export async function importTauRetailData(db: Db, data: TauRetailData, actor: Actor = systemActor('tau-retail-import')): Promise<TauRetailImportCounts> {
  const users = Object.entries(data.users);
  const products = Object.values(data.products);
  const orderIds = [...users.flatMap(([, u]) => u.orders), ...Object.keys(data.orders)];
  const orders: TauOrder[] = [...new Set(orderIds)].map((id) => data.orders[id]!);

  const customers = users.map(([id, u], i) => ({
    id,
    first_name: u.name.first_name,
    last_name: u.name.last_name,
    email: u.email,
    ...u.address,
    ord: i,
  }));
  const methods = users.flatMap(([id, u]) =>
    Object.values(u.payment_methods).map((m) => ({
      id: m.id,
      customer_id: id,
      source: m.source,
      brand: m.source === 'credit_card' ? m.brand : null,
      last_four: m.source === 'credit_card' ? m.last_four : null,
      balance: m.source === 'gift_card' ? money(m.balance) : null,
    })),
  ).map((m, i) => ({ ...m, ord: i }));
  const productRows = products.map((p, i) => ({ id: p.product_id, name: p.name, product_type: p.name, ord: i }));
  const variantRows = products
    .flatMap((p) =>
      Object.values(p.variants).map((v) => ({ id: v.item_id, product_id: p.product_id, sku: v.item_id, options: v.options, price: money(v.price), available: v.available })),
    )
    .map((v, i) => ({ ...v, ord: i }));
  const orderRows = orders.map((o, i) => {
    const placedAt = new Date(PLACED_AT_BASE + i * 3_600_000).toISOString();
    return {
      id: o.order_id,
      customer_id: o.user_id,
      channel: TAU_RETAIL_CHANNEL,
      external_id: o.order_id,
      status: o.status,
      ...o.address,
      placed_at: placedAt,
      cancel_reason: o.cancel_reason ?? null,
      return_items: o.return_items ?? null,
      return_payment_method_id: o.return_payment_method_id ?? null,
      exchange_items: o.exchange_items ?? null,
      exchange_new_items: o.exchange_new_items ?? null,
      exchange_payment_method_id: o.exchange_payment_method_id ?? null,
      exchange_price_difference: o.exchange_price_difference == null ? null : money(o.exchange_price_difference),
      ord: i,
    };
  });
  const lineRows = orders.flatMap((o) =>
    o.items.map((it, position) => ({
      order_id: o.order_id,
      position,
      product_id: it.product_id,
      variant_id: it.item_id,
      name: it.name,
      options: it.options,
      price: money(it.price),
    })),
  );
  const fulfilmentRows = orders.flatMap((o) =>
    o.fulfillments.map((f, position) => ({
      order_id: o.order_id,
      position,
      tracking_ids: f.tracking_id,
      item_ids: f.item_ids,
      status: o.status === 'delivered' ? 'delivered' : 'shipped',
    })),
  );
  const paymentRows = orders.flatMap((o) =>
    o.payment_history.map((p, position) => ({
      order_id: o.order_id,
      position,
      kind: p.transaction_type,
      amount: money(p.amount),
      payment_method_id: p.payment_method_id,
    })),
  );

  return db.transaction(async (tx) => {
    await refuseExisting(tx, customers.map((c) => c.id), customers.map((c) => c.email), methods.map((m) => m.id), productRows.map((p) => p.id), variantRows.map((v) => v.id), orderRows.map((o) => o.id));

    await insertWithSeq(tx, 'customers', customers,
      `id text, first_name text, last_name text, email text, address1 text, address2 text, city text, state text, country text, zip text, ord int`,
      ['id', 'first_name', 'last_name', 'email', 'address1', 'address2', 'city', 'state', 'country', 'zip']);
    await insertWithSeq(tx, 'payment_methods', methods,
      `id text, customer_id text, source text, brand text, last_four text, balance numeric, ord int`,
      ['id', 'customer_id', 'source', 'brand', 'last_four', 'balance']);
    await insertWithSeq(tx, 'products', productRows, `id text, name text, product_type text, ord int`, ['id', 'name', 'product_type']);
    await insertWithSeq(tx, 'variants', variantRows,
      `id text, product_id text, sku text, options jsonb, price numeric, available boolean, ord int`,
      ['id', 'product_id', 'sku', 'options', 'price', 'available']);
    await insertWithSeq(tx, 'orders', orderRows,
      `id text, customer_id text, channel text, external_id text, status text, address1 text, address2 text, city text, state text,
       country text, zip text, placed_at timestamptz, cancel_reason text, return_items text[], return_payment_method_id text,
       exchange_items text[], exchange_new_items text[], exchange_payment_method_id text, exchange_price_difference numeric, ord int`,
      ['id', 'customer_id', 'channel', 'external_id', 'status', 'address1', 'address2', 'city', 'state', 'country', 'zip', 'placed_at',
        'cancel_reason', 'return_items', 'return_payment_method_id', 'exchange_items', 'exchange_new_items', 'exchange_payment_method_id',
        'exchange_price_difference'],
      ['status_changed_at = placed_at']);
    await insertRows(tx, 'order_lines', lineRows,
      `order_id text, position int, product_id text, variant_id text, name text, options jsonb, price numeric`,
      ['order_id', 'position', 'product_id', 'variant_id', 'name', 'options', 'price']);
    await insertRows(tx, 'shipments', fulfilmentRows,
      `order_id text, position int, tracking_ids text[], item_ids text[], status text`,
      ['order_id', 'position', 'tracking_ids', 'item_ids', 'status']);
    await insertRows(tx, 'payments', paymentRows,
      `order_id text, position int, kind text, amount numeric, payment_method_id text`,
      ['order_id', 'position', 'kind', 'amount', 'payment_method_id']);

    const counts: TauRetailImportCounts = {
      customers: customers.length,
      paymentMethods: methods.length,
      products: productRows.length,
      variants: variantRows.length,
      orders: orderRows.length,
      orderLines: lineRows.length,
      fulfilments: fulfilmentRows.length,
      payments: paymentRows.length,
    };
    await recordAudit(tx, actor, { action: 'tau_retail.imported', entityType: 'import', entityId: TAU_RETAIL_CHANNEL, data: { ...counts } });
    return counts;
  });
}

async function refuseExisting(tx: Db, customerIds: string[], emails: string[], methodIds: string[], productIds: string[], variantIds: string[], orderIds: string[]): Promise<void> {
  const checks: [string, string, string[]][] = [
    ['customers', 'SELECT id AS v FROM customers WHERE id = ANY($1::text[])', customerIds],
    ['customer emails', 'SELECT email AS v FROM customers WHERE lower(email) = ANY($1::text[])', emails.map((e) => e.toLowerCase())],
    ['payment methods', 'SELECT id AS v FROM payment_methods WHERE id = ANY($1::text[])', methodIds],
    ['products', 'SELECT id AS v FROM products WHERE id = ANY($1::text[])', productIds],
    ['variants', 'SELECT id AS v FROM variants WHERE id = ANY($1::text[]) OR sku = ANY($1::text[])', variantIds],
    ['orders', `SELECT id AS v FROM orders WHERE id = ANY($1::text[]) OR (channel = '${TAU_RETAIL_CHANNEL}' AND external_id = ANY($1::text[]))`, orderIds],
  ];
  const clashes: string[] = [];
  for (const [what, sql, ids] of checks) {
    const { rows } = await tx.query<{ v: string }>(`${sql} LIMIT 4`, [ids]);
    if (rows.length) clashes.push(`${what} already exist (${rows.slice(0, 3).map((r) => r.v).join(', ')}${rows.length > 3 ? ', …' : ''})`);
  }
  if (clashes.length) {
    throw new DomainError('conflict', 'tau_retail_already_imported', `nothing imported: ${clashes.join('; ')}`);
  }
}

async function insertRows(tx: Db, table: string, rows: object[], columnTypes: string, columns: string[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${columnTypes})`,
    [JSON.stringify(rows)],
  );
}

/**
 * Inserts with `seq` = the row's position in the input, so lookups that take "the first
 * match" follow the source file's order, then moves the table's sequence past them.
 */
async function insertWithSeq(tx: Db, table: string, rows: object[], columnTypes: string, columns: string[], extra: string[] = []): Promise<void> {
  if (rows.length === 0) return;
  const { rows: base } = await tx.query<{ base: number }>(`SELECT nextval(pg_get_serial_sequence('${table}', 'seq')) AS base`);
  const start = Number(base[0]!.base);
  const extraCols = extra.map((e) => e.split('=')[0]!.trim());
  const extraVals = extra.map((e) => e.split('=')[1]!.trim());
  await tx.query(
    `INSERT INTO ${table} (${[...columns, ...extraCols, 'seq'].join(', ')})
     SELECT ${[...columns, ...extraVals].join(', ')}, $2::bigint + ord FROM jsonb_to_recordset($1::jsonb) AS r(${columnTypes})`,
    [JSON.stringify(rows), start],
  );
  await tx.query(`SELECT setval(pg_get_serial_sequence('${table}', 'seq'), $1::bigint)`, [start + rows.length]);
}
