import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLedgerRows } from '../../../test/support/count-ledger-rows.js';
import { SHARED_DATASETS_DIR, sharedDatasetAvailable } from '../../../test/support/shared-dataset.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { getCustomerDetails } from '../../domain/customers/customer-repository.js';
import { exportTauRetail, exportTauRetailData } from './export-tau-retail.js';
import { importTauRetail } from './import-tau-retail.js';

const DATASET = resolve(SHARED_DATASETS_DIR, 'tau-retail/tau-bench');
const present = sharedDatasetAvailable(`the tau-bench data under ${DATASET}`, existsSync(join(DATASET, 'users.json')));

/** Money compares to the cent and integers equal floats, as in the reference data. */
const cents = (v: unknown): unknown =>
  typeof v === 'number'
    ? Math.round(v * 100)
    : Array.isArray(v)
      ? v.map(cents)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cents(x)]))
        : v;

const tiny = (suffix: string) => ({
  users: {
    [`zoe_${suffix}`]: {
      user_id: `zoe_${suffix}`,
      name: { first_name: 'Zoe', last_name: 'Park' },
      address: { address1: '2 Bay St', address2: '', city: 'Boston', country: 'USA', state: 'MA', zip: '02110' },
      email: `zoe${suffix}@example.test`,
      payment_methods: { [`paypal_${suffix}`]: { source: 'paypal', id: `paypal_${suffix}` } },
      orders: [`#T${suffix}`],
    },
  },
  orders: {
    [`#T${suffix}`]: {
      order_id: `#T${suffix}`,
      user_id: `zoe_${suffix}`,
      address: { address1: '2 Bay St', address2: '', city: 'Boston', country: 'USA', state: 'MA', zip: '02110' },
      items: [{ name: 'Kite', product_id: `k${suffix}`, item_id: `kv${suffix}`, price: 19.99, options: { color: 'red' } }],
      fulfillments: [],
      status: 'pending',
      payment_history: [{ transaction_type: 'payment', amount: 19.99, payment_method_id: `paypal_${suffix}` }],
      cancel_reason: null,
      exchange_items: null,
      exchange_new_items: null,
      exchange_payment_method_id: null,
      exchange_price_difference: null,
      return_items: null,
      return_payment_method_id: null,
    },
  },
  products: {
    [`k${suffix}`]: { name: `Kite ${suffix}`, product_id: `k${suffix}`, variants: { [`kv${suffix}`]: { item_id: `kv${suffix}`, options: { color: 'red' }, available: true, price: 19.99 } } },
  },
});

describeEachDb('tau-retail import and export', (ctx) => {
  it('reports a missing directory, a missing file and a bad field by name, writing nothing', async () => {
    const before = await countLedgerRows(ctx.db);
    await expect(importTauRetail(ctx.db, '/no/such/dir')).rejects.toThrow('directory not found: /no/such/dir');
    const dir = mkdtempSync(join(tmpdir(), 'tau-bad-'));
    writeFileSync(join(dir, 'users.json'), '{}');
    await expect(importTauRetail(ctx.db, dir)).rejects.toThrow(`file not found: ${join(dir, 'orders.json')}`);
    const data = tiny('bad');
    (data.orders['#Tbad']!.items[0] as { price: unknown }).price = 'cheap';
    writeFileSync(join(dir, 'users.json'), JSON.stringify(data.users));
    writeFileSync(join(dir, 'orders.json'), JSON.stringify(data.orders));
    writeFileSync(join(dir, 'products.json'), JSON.stringify(data.products));
    await expect(importTauRetail(ctx.db, dir)).rejects.toThrow(/orders\.json: record "#Tbad": items\.0\.price/);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('imports a tau2 db.json (user_id dropped, null optional fields absent)', async () => {
    const suffix = `${process.pid}v2`;
    const dir = mkdtempSync(join(tmpdir(), 'tau-v2-'));
    writeFileSync(join(dir, 'db.json'), JSON.stringify(tiny(suffix)));
    const counts = await importTauRetail(ctx.db, dir);
    expect(counts).toMatchObject({ customers: 1, orders: 1, variants: 1, payments: 1 });
    const user = await getCustomerDetails(ctx.db, `zoe_${suffix}`);
    expect(user).not.toHaveProperty('user_id');
    const exported = await exportTauRetailData(ctx.db);
    expect(exported.orders[`#T${suffix}`]).toEqual({
      order_id: `#T${suffix}`,
      user_id: `zoe_${suffix}`,
      address: { address1: '2 Bay St', address2: '', city: 'Boston', country: 'USA', state: 'MA', zip: '02110' },
      items: [{ name: 'Kite', product_id: `k${suffix}`, item_id: `kv${suffix}`, price: 19.99, options: { color: 'red' } }],
      fulfillments: [],
      status: 'pending',
      payment_history: [{ transaction_type: 'payment', amount: 19.99, payment_method_id: `paypal_${suffix}` }],
    });
  });

  describe.skipIf(!present)('on the real tau-bench data', () => {
    it('exports exactly what it imported, and refuses a second import without writing', async () => {
      const counts = await importTauRetail(ctx.db, DATASET);
      expect(counts).toMatchObject({ customers: 500, orders: 1000, products: 50, variants: 591, paymentMethods: 695 });
      const out = mkdtempSync(join(tmpdir(), 'tau-out-'));
      await exportTauRetail(ctx.db, out);
      for (const file of ['users.json', 'orders.json', 'products.json']) {
        const original = JSON.parse(readFileSync(join(DATASET, file), 'utf8'));
        const written = JSON.parse(readFileSync(join(out, file), 'utf8'));
        // Only this file's records: other tests in this database import their own.
        const mine = Object.fromEntries(Object.keys(original).map((k) => [k, written[k]]));
        expect(cents(mine), file).toEqual(cents(original));
      }
      const before = await countLedgerRows(ctx.db);
      await expect(importTauRetail(ctx.db, DATASET)).rejects.toThrow(/^nothing imported: customers already exist/);
      expect(await countLedgerRows(ctx.db)).toEqual(before);
    }, 60_000);

    it('orders each customer’s orders as in users.json', async () => {
      const users = JSON.parse(readFileSync(join(DATASET, 'users.json'), 'utf8')) as Record<string, { orders: string[] }>;
      const some = Object.entries(users).filter(([, u]) => u.orders.length > 2).slice(0, 5);
      for (const [id, u] of some) expect((await getCustomerDetails(ctx.db, id))!.orders).toEqual(u.orders);
    });
  });
});
