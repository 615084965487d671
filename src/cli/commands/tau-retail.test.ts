import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'tau-cli-')), DATABASE_URL: '' },
    timeout: 120_000,
  });

// Each case starts the real CLI process (tsx compiles it), which takes seconds on a busy machine.
describe('orderops tau-retail', { timeout: 120_000 }, () => {
  it('names a missing import directory and exits 2', () => {
    const r = run('tau-retail', 'import', '/no/such/tau-dir');
    expect(r.stderr).toContain('directory not found: /no/such/tau-dir');
    expect(r.status).toBe(2);
  });

  it('names the missing data file and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tau-cli-in-'));
    writeFileSync(join(dir, 'users.json'), '{}');
    writeFileSync(join(dir, 'orders.json'), '{}');
    const r = run('tau-retail', 'import', dir);
    expect(r.stderr).toContain(`file not found: ${join(dir, 'products.json')}`);
    expect(r.status).toBe(2);
  });

  it('names a missing export directory and exits 2', () => {
    const r = run('tau-retail', 'export', '/no/such/out-dir');
    expect(r.stderr).toContain('export directory not found: /no/such/out-dir');
    expect(r.status).toBe(2);
  });
});
