import type { Db } from '../db/db.js';
import { systemActor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { DomainError } from '../domain/domain-error.js';
import { bulkInsert } from './bulk-insert.js';
import { DEMO_BASE_DATE, generateDemoData, type DemoOptions } from './generate-demo-data.js';

export interface DemoSummary {
  seed: number;
  baseDate: string;
  products: number;
  variants: number;
  locations: number;
  customers: number;
  orders: number;
  byStatus: Record<string, number>;
  ms: number;
}

/**
 * Loads the demo store into an empty database in one transaction (all or nothing). Like an
 * import, it bulk-inserts rows the generator already made consistent: on-hand equals the sum of
 * movements, reserved stock exists only as reservation rows, every status was reached through the
 * transition table. Refuses when the database already holds orders or products.
 */
export async function seedDemo(db: Db, options: DemoOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const { rows } = await db.query<{ orders: number; products: number }>(
    'SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM products) AS products',
  );
  const existing = rows[0]!;
  if (existing.orders > 0 || existing.products > 0) {
    throw new DomainError(
      'conflict',
      'database_not_empty',
      `the database already has ${existing.orders} orders and ${existing.products} products; demo data is only loaded into an empty database`,
    );
  }
  const seed = options.seed ?? 42;
  const baseDate = options.baseDate ?? DEMO_BASE_DATE;
  const data = generateDemoData({ ...options, seed, baseDate });

  await db.transaction(async (tx) => {
    await bulkInsert(tx, 'locations', {
      id: 'text', name: 'text', kind: 'text', region: 'text', country: 'text', active: 'boolean', address1: 'text', city: 'text',
      state: 'text', zip: 'text', latitude: 'double precision', longitude: 'double precision', services: 'text[]', hazmat: 'boolean',
      max_weight_grams: 'integer', cutoff_time: 'text', time_zone: 'text', handling_days: 'integer', priority: 'integer',
    }, data.locations);
    await bulkInsert(tx, 'products', { id: 'text', name: 'text', product_type: 'text', description: 'text' }, data.products);
    await bulkInsert(
      tx,
      'variants',
      {
        id: 'text', product_id: 'text', sku: 'text', options: 'jsonb', price: 'numeric', weight_grams: 'int',
        length_mm: 'int', width_mm: 'int', height_mm: 'int', available: 'boolean',
      },
      data.variants,
    );
    await bulkInsert(tx, 'inventory_levels', { variant_id: 'text', location_id: 'text', on_hand: 'int', updated_at: 'timestamptz' }, data.inventoryLevels);
    await bulkInsert(
      tx,
      'inventory_movements',
      { variant_id: 'text', location_id: 'text', quantity: 'int', kind: 'text', reason: 'text', order_id: 'text', actor: 'text', created_at: 'timestamptz' },
      data.inventoryMovements,
    );
    await bulkInsert(
      tx,
      'customers',
      {
        id: 'text', first_name: 'text', last_name: 'text', email: 'text', phone: 'text', address1: 'text', address2: 'text',
        city: 'text', state: 'text', country: 'text', zip: 'text', created_at: 'timestamptz', updated_at: 'timestamptz',
      },
      data.customers,
    );
    await bulkInsert(
      tx,
      'payment_methods',
      { id: 'text', customer_id: 'text', source: 'text', brand: 'text', last_four: 'text', balance: 'numeric' },
      data.paymentMethods,
    );
    await bulkInsert(
      tx,
      'orders',
      {
        id: 'text', customer_id: 'text', channel: 'text', external_id: 'text', status: 'text', currency: 'text',
        address1: 'text', address2: 'text', city: 'text', state: 'text', country: 'text', zip: 'text', email: 'text',
        placed_at: 'timestamptz', status_changed_at: 'timestamptz', cancel_reason: 'text', return_items: 'text[]',
        return_payment_method_id: 'text', exchange_items: 'text[]', exchange_new_items: 'text[]',
        exchange_payment_method_id: 'text', exchange_price_difference: 'numeric', hold_reason: 'text',
        created_at: 'timestamptz', updated_at: 'timestamptz', client: 'jsonb',
      },
      data.orders,
    );
    await bulkInsert(
      tx,
      'order_lines',
      {
        id: 'bigint', order_id: 'text', position: 'int', product_id: 'text', variant_id: 'text', name: 'text',
        options: 'jsonb', price: 'numeric', quantity: 'int', location_id: 'text',
      },
      data.orderLines,
    );
    // Line ids were given explicitly (reservations point at them); move the sequence past them.
    await tx.query(`SELECT setval(pg_get_serial_sequence('order_lines', 'id'), (SELECT max(id) FROM order_lines))`);
    await bulkInsert(
      tx,
      'reservations',
      {
        variant_id: 'text', location_id: 'text', order_id: 'text', order_line_id: 'bigint', quantity: 'int',
        status: 'text', created_at: 'timestamptz', closed_at: 'timestamptz',
      },
      data.reservations,
    );
    await bulkInsert(
      tx,
      'shipments',
      {
        order_id: 'text', position: 'int', tracking_ids: 'text[]', item_ids: 'text[]', carrier: 'text', service: 'text',
        location_id: 'text', status: 'text', promised_at: 'timestamptz', shipped_at: 'timestamptz',
        delivered_at: 'timestamptz', created_at: 'timestamptz',
      },
      data.fulfilments,
    );
    await bulkInsert(
      tx,
      'payments',
      { order_id: 'text', position: 'int', kind: 'text', amount: 'numeric', payment_method_id: 'text', created_at: 'timestamptz' },
      data.payments,
    );
    await bulkInsert(
      tx,
      'order_events',
      { order_id: 'text', from_status: 'text', to_status: 'text', reason: 'text', actor: 'text', created_at: 'timestamptz' },
      data.orderEvents,
    );
    await recordAudit(tx, systemActor('demo-seed'), {
      action: 'demo.seeded',
      entityType: 'database',
      entityId: 'demo',
      data: {
        seed,
        baseDate: baseDate.toISOString(),
        orders: data.orders.length,
        customers: data.customers.length,
        variants: data.variants.length,
        movements: data.inventoryMovements.length,
      },
    });
  });

  const byStatus: Record<string, number> = {};
  for (const o of data.orders) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
  return {
    seed,
    baseDate: baseDate.toISOString(),
    products: data.products.length,
    variants: data.variants.length,
    locations: data.locations.length,
    customers: data.customers.length,
    orders: data.orders.length,
    byStatus,
    ms: Date.now() - started,
  };
}
