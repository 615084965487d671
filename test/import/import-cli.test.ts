import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';

const BIN = resolve(import.meta.dirname, '../../bin/orderops.mjs');

const PRODUCTS = [
  'Handle,Title,Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Price,Status',
  'cli-tee,CLI Tee,Acme,Shirts,Size,S,CLI-TEE-S,180,20.00,active',
  'cli-tee,,,,,M,CLI-TEE-M,190,20.00,',
  'cli-bad,Bad,,,,,,10,5.00,active',
].join('\n');

const ORDER_HEADER =
  'Name,Email,Currency,Subtotal,Shipping,Taxes,Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Payment Method,Id';
const ORDERS = [
  ORDER_HEADER,
  // Known and in stock: imported, pending.
  '#1,ok@example.com,USD,40,5,0,45.00,Standard,2024-03-01 10:00:00 -0500,2,CLI Tee - S,20.00,CLI-TEE-S,true,Ok Buyer,1 Main St,Albany,12207,NY,US,Credit Card,9001',
  // An unknown SKU: imported, held.
  '#2,held@example.com,USD,10,0,0,10.00,,2024-03-01 11:00:00 -0500,1,Mystery,10.00,NOPE-1,true,Held Buyer,2 Main St,Albany,12207,NY,US,Credit Card,9002',
  // Unreadable: rejected.
  '#3,not-an-email,USD,20,0,0,20.00,,2024-03-01 12:00:00 -0500,1,CLI Tee - M,20.00,CLI-TEE-M,true,Bad Buyer,3 Main St,Albany,12207,NY,US,Credit Card,9003',
  '#3,,,,,,,,,x,CLI Tee - M,20.00,CLI-TEE-M,true,,,,,,,,',
].join('\n');

// Each run starts the real CLI process (tsx compiles it), which takes seconds on a busy machine.
describe('orderops import', { timeout: 240_000 }, () => {
  it('imports products and orders: held, rejected with line and reason, a JSON summary last, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    const open = () => createPgliteDb({ dataDir: join(dir, 'pglite') });
    let db = await open();
    try {
      await migrate(db);
      await seedTestCatalog(db, 'p-cli', [{ sku: 'CLI-TEE-S', price: '18.00', stock: { 'loc-east-wh': 10 } }]);
    } finally {
      await db.close();
    }
    writeFileSync(join(dir, 'products.csv'), PRODUCTS);
    writeFileSync(join(dir, 'orders.csv'), ORDERS);
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'import', ...args], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'false' },
        timeout: 120_000,
      });
      const out = r.stdout.toString();
      return { status: r.status, out, err: r.stderr.toString(), summary: JSON.parse(out.trim().split('\n').pop() ?? 'null') as Record<string, number> };
    };

    const products = run('products', join(dir, 'products.csv'));
    expect(products.status).toBe(0);
    expect(products.summary).toMatchObject({ products: 2, created: 0, updated: 1, rejected: 1 });
    expect(products.err).toContain('rejected: line 4 (cli-bad): variants.0.sku');

    const first = run('orders', join(dir, 'orders.csv'), '--format', 'shopify');
    expect(first.status).toBe(0);
    expect(first.summary).toMatchObject({ imported: 2, held: 1, rejected: 1, duplicates: 0, rows: 4, orders: 3 });
    expect(first.err).toMatch(/rejected: line 4 \(#3\): customer\.email: must be an email address; lines\.1\.quantity/);

    const rejects = join(dir, 'rejects.csv');
    const again = run('orders', join(dir, 'orders.csv'), '--rejects', rejects);
    expect(again.summary).toMatchObject({ imported: 0, held: 0, rejected: 1, duplicates: 2 });
    expect(readFileSync(rejects, 'utf8').split('\n')[1]).toBe('4,#3,customer.email: must be an email address; lines.1.quantity: must be a number');

    db = await open();
    try {
      const { rows } = await db.query<{ external_id: string; status: string; hold_reason: string | null }>(
        `SELECT external_id, status, hold_reason FROM orders WHERE channel = 'shopify' ORDER BY external_id`,
      );
      expect(rows).toEqual([
        { external_id: '9001', status: 'pending', hold_reason: null },
        { external_id: '9002', status: 'on_hold', hold_reason: 'lines.0.sku: unknown SKU NOPE-1' },
      ]);
      const { rows: tee } = await db.query<{ name: string; handle: string; price: string }>(
        `SELECT p.name, p.handle, v.price::text AS price FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = 'CLI-TEE-S'`,
      );
      expect(tee).toEqual([{ name: 'CLI Tee', handle: 'cli-tee', price: '20.00' }]);
      // The rejected order left no customer behind.
      const { rows: bad } = await db.query(`SELECT 1 FROM customers WHERE email = 'not-an-email'`);
      expect(bad).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('rejects a canonical order the ledger refuses, leaving nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    const db = await createPgliteDb({ dataDir: join(dir, 'pglite') });
    try {
      await migrate(db);
      await seedTestCatalog(db, 'p-cli2', [{ sku: 'CLI-MUG', price: '8.00', stock: { 'loc-east-wh': 10 } }]);
    } finally {
      await db.close();
    }
    writeFileSync(
      join(dir, 'c.csv'),
      [
        'channel,external_id,email,first_name,last_name,ship_address1,ship_city,ship_state,ship_country,ship_zip,payment_method,line_sku,line_quantity',
        'pos,P-1,gift@example.com,Gift,Payer,1 Main St,Albany,NY,US,12207,gift_card,CLI-MUG,1',
        'pos,P-2,card@example.com,Card,Payer,1 Main St,Albany,NY,US,12207,card,CLI-MUG,1',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [BIN, 'import', 'orders', join(dir, 'c.csv'), '--format', 'canonical'], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'false' },
      timeout: 120_000,
    });
    const out = r.stdout.toString().trim().split('\n');
    expect(JSON.parse(out.pop()!)).toMatchObject({ imported: 1, rejected: 1, duplicates: 0 });
    expect(r.stderr.toString()).toContain('rejected: line 2 (P-1): payment.payment_method_id: is required for gift_card payments');
    const after = await createPgliteDb({ dataDir: join(dir, 'pglite') });
    try {
      const { rows } = await after.query<{ email: string }>(`SELECT email FROM customers ORDER BY email`);
      expect(rows).toEqual([{ email: 'card@example.com' }]);
    } finally {
      await after.close();
    }
  });
});
