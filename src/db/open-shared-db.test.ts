import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, readDataDirLock } from './data-dir-lock.js';
import { openSharedDb, SERVER_COMMAND } from './open-shared-db.js';
import { createPgliteDb } from './pglite-db.js';

describe('openSharedDb', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-shared-'));
  const config = { DATA_DIR: dataDir, DATABASE_URL: undefined };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await db.exec('CREATE TABLE shared_t (who text PRIMARY KEY)');
    await db.close();
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill();
  });

  it('lets a command write through the owner, which shares its database, and gives DATA_DIR up on close', async () => {
    const owner = await openSharedDb(config, { command: SERVER_COMMAND, share: true });
    try {
      expect(owner.kind).toBe('pglite');
      const holder = readDataDirLock(dataDir);
      expect(holder).toMatchObject({ pid: process.pid, command: SERVER_COMMAND, database: { host: dataDir } });

      const command = await openSharedDb(config, { command: 'orderops chat', joinOwner: true });
      try {
        expect(command.kind).toBe('postgres');
        await command.transaction(async (tx) => {
          await tx.query(`INSERT INTO shared_t VALUES ('from the command')`);
        });
      } finally {
        await command.close();
      }
      expect((await owner.query('SELECT who FROM shared_t')).rows).toEqual([{ who: 'from the command' }]);
    } finally {
      await owner.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('keeps the database files in a directory only their owner may enter', () => {
    expect(statSync(join(dataDir, 'pglite')).mode & 0o777).toBe(0o700);
  });

  it('runs the owner\'s PGlite on its own thread and still shares it with commands', async () => {
    const owner = await openSharedDb(config, { command: SERVER_COMMAND, share: true, ownThread: true });
    try {
      expect(owner.kind).toBe('pglite');
      expect(readDataDirLock(dataDir)).toMatchObject({ pid: process.pid, database: { host: dataDir } });
      const command = await openSharedDb(config, { command: 'orderops chat', joinOwner: true });
      try {
        await command.query(`INSERT INTO shared_t VALUES ('through the worker')`);
      } finally {
        await command.close();
      }
      expect((await owner.query(`SELECT who FROM shared_t WHERE who = 'through the worker'`)).rows).toHaveLength(1);
    } finally {
      await owner.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('refuses a second server, naming the pid', async () => {
    const owner = await openSharedDb(config, { command: SERVER_COMMAND, share: true });
    try {
      await expect(openSharedDb(config, { command: SERVER_COMMAND, share: true })).rejects.toThrow(
        `orderops is already running (pid ${process.pid})`,
      );
    } finally {
      await owner.close();
    }
  });

  it('refuses a command while another command owns DATA_DIR without sharing it', async () => {
    const owner = await openSharedDb(config, { command: 'orderops chat', joinOwner: true });
    try {
      expect(owner.kind).toBe('pglite');
      const refused = openSharedDb(config, { command: 'orderops email', joinOwner: true });
      await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(refused).rejects.toThrow('"orderops chat" holds DATA_DIR');
      await expect(refused).rejects.toThrow('does not share its database');
    } finally {
      await owner.close();
    }
  });

  it('refuses a command, naming the pid, when the owner is alive but its socket does not answer', async () => {
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(owner);
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({ pid: owner.pid, command: SERVER_COMMAND, since: new Date().toISOString(), token: 't', database: { host: dataDir, port: 5432 } }),
    );
    try {
      const refused = openSharedDb(config, { command: 'orderops chat', joinOwner: true });
      await expect(refused).rejects.toThrow(`orderops is already running (pid ${owner.pid})`);
      await expect(refused).rejects.toThrow('does not answer');
    } finally {
      owner.kill();
    }
  });

  it.skipIf(!process.env.TEST_POSTGRES_URL)('takes no lock on PostgreSQL, which serves several processes itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderops-shared-pg-'));
    const db = await openSharedDb({ DATA_DIR: dir, DATABASE_URL: process.env.TEST_POSTGRES_URL }, { command: SERVER_COMMAND, share: true });
    try {
      expect(db.kind).toBe('postgres');
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      await db.close();
    }
  });
});
