import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, readDataDirLock, type DataDirLock } from './data-dir-lock.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'orderops-lock-'));

/** The pid of a process that has already exited: what a crashed orderops leaves in its lock. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function plantLock(dir: string, pid: number, command = 'orderops serve'): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, command, token: 'planted', since: new Date(0).toISOString() }));
}

describe('data directory lock', () => {
  const held: DataDirLock[] = [];
  const children: ChildProcess[] = [];
  const take = (dir: string, command = 'orderops serve') => {
    const lock = acquireDataDirLock(dir, command);
    held.push(lock);
    return lock;
  };
  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
    for (const child of children.splice(0)) child.kill();
  });

  it('records this process in a lock file inside the directory and removes it on release', () => {
    const dir = freshDir();
    const lock = take(dir, 'orderops chat');
    expect(readDataDirLock(dir)).toMatchObject({ pid: process.pid, command: 'orderops chat' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock.release();
  });

  it('creates a missing directory', () => {
    const dir = join(freshDir(), 'nested', 'data');
    take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('refuses a second holder in the same process, naming the pid', () => {
    const dir = freshDir();
    take(dir);
    let error: unknown;
    try {
      take(dir, 'orderops chat');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).holder).toMatchObject({ pid: process.pid, command: 'orderops serve' });
    expect((error as Error).message).toContain(`orderops is already running (pid ${process.pid})`);
  });

  it('refuses while another live process holds it', async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(other);
    plantLock(dir, other.pid!);
    expect(() => take(dir)).toThrow(`orderops is already running (pid ${other.pid})`);
    expect(readDataDirLock(dir)?.pid).toBe(other.pid);
  });

  it('takes over a lock whose process is gone', () => {
    const dir = freshDir();
    plantLock(dir, deadPid());
    take(dir);
    expect(readDataDirLock(dir)).toMatchObject({ pid: process.pid, command: 'orderops serve' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('takes over a lock naming this pid that this process does not hold (a restarted container reuses pids)', () => {
    const dir = freshDir();
    plantLock(dir, process.pid);
    take(dir);
    expect(readDataDirLock(dir)?.command).toBe('orderops serve');
  });

  it('takes over a lock file that is not a lock (it is always written whole, so no live holder wrote it)', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('advertises where the database is served, and release leaves a lock another process took alone', () => {
    const dir = freshDir();
    const lock = take(dir);
    lock.advertise({ host: dir, port: 5432 });
    expect(readDataDirLock(dir)?.database).toEqual({ host: dir, port: 5432 });
    // Someone removed the file and another orderops took the directory: the old holder must not delete that.
    plantLock(dir, process.pid, 'orderops chat');
    lock.release();
    expect(readDataDirLock(dir)?.command).toBe('orderops chat');
  });

  it('is released when the process exits without releasing it', () => {
    const dir = freshDir();
    const script = `import { acquireDataDirLock } from ${JSON.stringify(join(import.meta.dirname, 'data-dir-lock.ts'))};
      acquireDataDirLock(${JSON.stringify(dir)}, 'orderops chat'); process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 30_000);
});
