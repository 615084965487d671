import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  acquireDataDirLock,
  DataDirLockedError,
  HEARTBEAT_INTERVAL_MS,
  LOCK_FILE,
  readDataDirLock,
  type DataDirLock,
} from './data-dir-lock.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'orderops-lock-'));
const LOCK_MODULE = JSON.stringify(join(import.meta.dirname, 'data-dir-lock.ts'));

/** The pid of a process that has already exited: what a crashed orderops leaves in its lock. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function plantLock(dir: string, pid: number, extra: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid, command: 'orderops serve', token: 'planted', since: new Date(0).toISOString(), ...extra }),
  );
}

/** Makes the lock's last heartbeat a minute old, as a holder that stopped long ago leaves it. */
function ageLock(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(dir, LOCK_FILE), past, past);
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs an ESM script that imports the lock module as `lock`, with stdin, stdout and stderr piped. */
function runLockScript(body: string): ChildProcess {
  const script = `import * as lock from ${LOCK_MODULE};\n${body}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
}

function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before answering: ${err}`)));
  });
}

/**
 * A process that tries to take `dir` once when sent a line, prints `held` or `refused`, and keeps
 * what it took until its stdin ends. A slow one stalls for a second after each read of the lock
 * file and each move of it (printing `read` / `moved` first), as a process descheduled mid-takeover.
 */
function contender(dir: string, slow: boolean) {
  const stall = slow
    ? `const fs = (await import('node:fs')).default;
       const { syncBuiltinESMExports } = await import('node:module');
       const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
       const isLock = (p) => String(p).endsWith('/${LOCK_FILE}');
       const { readFileSync, renameSync } = fs;
       fs.readFileSync = (p, ...rest) => { const r = readFileSync(p, ...rest); if (isLock(p)) { console.log('read'); pause(); } return r; };
       fs.renameSync = (from, to) => { renameSync(from, to); if (isLock(from)) { console.log('moved'); pause(); } };
       syncBuiltinESMExports();`
    : '';
  const child = runLockScript(`${stall}
    process.stdin.once('data', async () => {
      let outcome;
      try {
        await lock.acquireDataDirLock(${JSON.stringify(dir)}, 'orderops race');
        outcome = 'held';
      } catch (err) {
        outcome = err instanceof lock.DataDirLockedError ? 'refused' : String(err);
      }
      console.log('outcome ' + outcome);
      process.stdin.on('end', () => process.exit(0));
    });
    console.log('ready');`);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let seen = 0;
  /** Resolves with the first line not yet consumed that `matches`, in order. */
  const find = (matches: (line: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const i = lines.findIndex((line, index) => index >= seen && matches(line));
        if (i >= 0) {
          seen = i + 1;
          resolve(lines[i]!);
        } else if (child.exitCode !== null) reject(new Error(`contender exited: ${stderr}`));
        else waiters.push(look);
      };
      look();
    });
  let outcome: Promise<string> | undefined;
  return {
    child,
    next: (line: string) => find((l) => l === line),
    outcome: () => (outcome ??= find((l) => l.startsWith('outcome ')).then((l) => l.slice('outcome '.length))),
  };
}

describe('data directory lock', () => {
  const held: DataDirLock[] = [];
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  const take = async (dir: string, command = 'orderops serve', log?: (line: string) => void) => {
    const lock = await acquireDataDirLock(dir, command, { log });
    held.push(lock);
    return lock;
  };
  afterEach(() => {
    vi.useRealTimers();
    for (const lock of held.splice(0)) lock.release();
    for (const child of children.splice(0)) child.kill();
    for (const server of servers.splice(0)) server.close();
  });

  it('records this process in a lock file inside the directory and removes it on release', async () => {
    const dir = freshDir();
    const lock = await take(dir, 'orderops chat');
    expect(readDataDirLock(dir)).toMatchObject({ pid: process.pid, command: 'orderops chat' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock.release();
  });

  it('creates a missing directory', async () => {
    const dir = join(freshDir(), 'nested', 'data');
    await take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('creates DATA_DIR readable by its owner only, and its lock file 0600, also once advertised', async () => {
    const dir = join(freshDir(), 'data');
    const lock = await take(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, LOCK_FILE))).toBe(0o600);
    lock.advertise({ host: dir, port: 5432 });
    expect(modeOf(join(dir, LOCK_FILE))).toBe(0o600);
  });

  it('tightens an existing DATA_DIR of ours that others may read to 0700, and says so', async () => {
    const dir = freshDir();
    chmodSync(dir, 0o755);
    const lines: string[] = [];
    await take(dir, 'orderops serve', (line) => lines.push(line));
    expect(modeOf(dir)).toBe(0o700);
    expect(lines).toEqual([expect.stringContaining(`DATA_DIR ${dir} was mode 0755`)]);

    const quiet: string[] = [];
    held.splice(0).forEach((lock) => lock.release());
    await take(dir, 'orderops serve', (line) => quiet.push(line));
    expect(quiet).toEqual([]);
  });

  it('refuses a second holder in the same process, naming the pid', async () => {
    const dir = freshDir();
    await take(dir);
    let error: unknown;
    try {
      await take(dir, 'orderops chat');
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
    ageLock(dir);
    await expect(take(dir)).rejects.toThrow(`orderops is already running (pid ${other.pid})`);
    expect(readDataDirLock(dir)?.pid).toBe(other.pid);
  });

  it('takes over a lock whose process is gone and whose heartbeat is old', async () => {
    const dir = freshDir();
    plantLock(dir, deadPid());
    ageLock(dir);
    await take(dir);
    expect(readDataDirLock(dir)).toMatchObject({ pid: process.pid, command: 'orderops serve' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('leaves a lock whose pid is not visible from here while its heartbeat is fresh (another container), and takes it once the heartbeat is old', async () => {
    const dir = freshDir();
    const pid = deadPid();
    plantLock(dir, pid, { pidNamespace: 'another-container' });
    const refused = take(dir);
    await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(refused).rejects.toThrow(`orderops is already running (pid ${pid})`);
    await expect(refused).rejects.toThrow('heartbeat');
    expect(readDataDirLock(dir)?.pid).toBe(pid);

    ageLock(dir);
    await take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('takes over at once the fresh lock of a process that died in this PID namespace', async () => {
    const dir = freshDir();
    const crashed = runLockScript(`await lock.acquireDataDirLock(${JSON.stringify(dir)}, 'orderops chat');
      console.log('held'); setTimeout(() => {}, 60000);`);
    children.push(crashed);
    expect(await firstLine(crashed)).toBe('held');
    crashed.kill('SIGKILL');
    await new Promise((r) => crashed.once('exit', r));
    expect(readDataDirLock(dir)?.pid).toBe(crashed.pid);
    await take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  }, 30_000);

  it('refreshes its heartbeat while it holds the directory', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dir = freshDir();
    await take(dir);
    ageLock(dir);
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(Date.now() - statSync(join(dir, LOCK_FILE)).mtimeMs).toBeLessThan(5_000);
  });

  it('leaves a lock whose advertised socket answers, though its pid and heartbeat look gone', async () => {
    const dir = freshDir();
    const pid = deadPid();
    plantLock(dir, pid, { database: { host: dir, port: 5432 } });
    ageLock(dir);
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((r) => server.listen(join(dir, '.s.PGSQL.5432'), r));
    await expect(take(dir)).rejects.toThrow(`orderops is already running (pid ${pid})`);

    await new Promise((r) => server.close(r));
    await take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('takes over a lock naming this pid that this process does not hold, once its heartbeat is old (a restarted container reuses pids)', async () => {
    const dir = freshDir();
    plantLock(dir, process.pid);
    ageLock(dir);
    await take(dir);
    expect(readDataDirLock(dir)?.command).toBe('orderops serve');
  });

  it('takes over a lock file that is not a lock (it is always written whole, so no live holder wrote it)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    await take(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
  });

  it('advertises where the database is served, and release leaves a lock another process took alone', async () => {
    const dir = freshDir();
    const lock = await take(dir);
    lock.advertise({ host: dir, port: 5432 });
    expect(readDataDirLock(dir)?.database).toEqual({ host: dir, port: 5432 });
    // Someone removed the file and another orderops took the directory: the old holder must not delete that.
    plantLock(dir, process.pid, { command: 'orderops chat' });
    lock.release();
    expect(readDataDirLock(dir)?.command).toBe('orderops chat');
  });

  it('is released when the process exits without releasing it', () => {
    const dir = freshDir();
    const script = `import { acquireDataDirLock } from ${LOCK_MODULE};
      await acquireDataDirLock(${JSON.stringify(dir)}, 'orderops chat'); process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 30_000);

  it('gives a stale lock to one process only, when a slow one takes it over while two others do', async () => {
    const dir = freshDir();
    plantLock(dir, deadPid());
    ageLock(dir);
    const [a, b, c] = [contender(dir, false), contender(dir, true), contender(dir, false)];
    children.push(a.child, b.child, c.child);
    await Promise.all([a, b, c].map((x) => x.next('ready')));
    // B has read the stale lock and stalls; A takes the directory over meanwhile.
    b.child.stdin!.write('go\n');
    await b.next('read');
    a.child.stdin!.write('go\n');
    const outcomeOfA = await a.outcome();
    // Had B now moved A's fresh lock aside, C would find the directory free while A still thinks it holds it.
    await Promise.race([b.next('moved'), b.outcome()]);
    c.child.stdin!.write('go\n');
    const outcomes = [outcomeOfA, await b.outcome(), await c.outcome()];
    expect(outcomes.filter((o) => o === 'held')).toEqual(['held']);
    expect(outcomes.every((o) => o === 'held' || o === 'refused')).toBe(true);
    const holder = [a, b, c][outcomes.indexOf('held')]!;
    expect(readDataDirLock(dir)?.pid).toBe(holder.child.pid);
  }, 60_000);
});
