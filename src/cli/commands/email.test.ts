import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmailThreadStore } from '../../channels/email/email-thread-store.js';
import { unparseableFromRaw } from '../../channels/email/unparseable-email.js';
import { migrate } from '../../db/migrate.js';
import { createPgliteDb } from '../../db/pglite-db.js';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');

// Each run starts the real CLI process (tsx compiles it), which takes seconds on a busy machine.
describe('orderops email held / raw', { timeout: 180_000 }, () => {
  it('lists mail kept for a person and writes out the raw source of an unparseable one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'email-cli-'));
    const raw = Buffer.from('From: Odd <odd@example.com>\r\nSubject: many parts\r\n\r\nbody\r\n');
    const kept = unparseableFromRaw(raw, { source: 'smtp', reason: 'the message cannot be parsed: Max allowed child nodes exceeded' });
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    try {
      await migrate(db);
      await createEmailThreadStore(db).keepUnparseable(kept);
    } finally {
      await db.close();
    }
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false' }, timeout: 120_000 });

    const held = run('email', 'held');
    expect(held.stderr.toString()).toBe('');
    expect(held.stdout.toString()).toMatch(new RegExp(`unparseable  ${kept.messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  from odd@example.com  "many parts"`));
    expect(held.stdout.toString()).toMatch(/why: +the message cannot be parsed: Max allowed child nodes exceeded/);
    const out = run('email', 'raw', kept.messageId);
    expect(out.stdout).toEqual(raw);
    const missing = run('email', 'raw', '<nope@x>');
    expect(missing.status).toBe(2);
    expect(missing.stderr.toString()).toMatch(/no raw source is kept for <nope@x>/);
  });
});
