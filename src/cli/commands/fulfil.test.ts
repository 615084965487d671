import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');

// Starts the real CLI process on a fresh embedded database, which takes seconds.
describe('orderops fulfil', { timeout: 120_000 }, () => {
  it('names an unknown order and exits 2, buying nothing', () => {
    const r = spawnSync(process.execPath, [BIN, 'fulfil', 'W0000000'], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'fulfil-cli-')), DATABASE_URL: '' },
      timeout: 120_000,
    });
    expect(r.stderr).toContain('order #W0000000 not found');
    expect(r.status).toBe(2);
  });
});
