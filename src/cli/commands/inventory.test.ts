import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { migrate } from '../../db/migrate.js';
import { createPgliteDb } from '../../db/pglite-db.js';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');

// Each run starts the real CLI process (tsx compiles it), which takes seconds on a busy machine.
describe('orderops inventory', { timeout: 240_000 }, () => {
  it('receives, transfers and counts; check exits 1 on a disagreement and --repair proposes one approval', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'inventory-cli-'));
    const open = () => createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    let db = await open();
    try {
      await migrate(db);
      await seedTestCatalog(db, 'p-cli', [{ sku: 'CLI-1', price: '5.00', stock: { 'loc-east-wh': 10 } }]);
    } finally {
      await db.close();
    }
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'inventory', ...args], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false' },
        timeout: 120_000,
      });
      return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
    };

    expect(run('receive', '--sku', 'CLI-1', '--location', 'loc-east-wh', '--quantity', '5', '--reference', 'PO-9').out).toContain(
      'received 5 CLI-1 at loc-east-wh: on hand 10 -> 15',
    );
    const sent = run('transfer', '--sku', 'CLI-1', '--from', 'loc-east-wh', '--to', 'loc-west-wh', '--quantity', '3');
    const id = /transfer (\d+):/.exec(sent.out)?.[1];
    expect(id).toBeDefined();
    expect(run('transfer', '--receive', id!).out).toContain(`transfer ${id}: 3 CLI-1 received at loc-west-wh`);
    expect(run('count', '--sku', 'CLI-1', '--location', 'loc-east-wh', '--counted', '11', '--reason', 'cycle count').out).toContain('difference -1');
    const bad = run('count', '--sku', 'CLI-1', '--location', 'loc-east-wh', '--counted', 'many', '--reason', 'x');
    expect(bad.status).toBe(2);
    expect(bad.err).toContain('--counted must be a whole number');

    const clean = run('check');
    expect(clean).toMatchObject({ status: 0, out: 'inventory check: no disagreements\n' });

    db = await open();
    try {
      await db.query(`UPDATE inventory_levels SET on_hand = 14 WHERE variant_id = 'v-CLI-1' AND location_id = 'loc-east-wh'`);
    } finally {
      await db.close();
    }
    const found = run('check');
    expect(found.status).toBe(1);
    expect(found.out).toContain('[level_drift] CLI-1 at loc-east-wh: on hand is 14 but its movements add up to 11 (3 units)');
    const repair = run('check', '--repair');
    expect(repair.status).toBe(1);
    expect(repair.out).toMatch(/proposed: approval apr_[0-9a-f]+ \(1 fix,/);
    expect(run('check', '--repair').out).toMatch(/already waiting: approval apr_/);
  });
});
