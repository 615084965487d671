import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = 'orderops.lock';

/** Where a lock holder serves its database to other orderops processes (pg connection parameters). */
export interface DatabaseAddress {
  /** A directory holding the Unix socket `.s.PGSQL.<port>`, or a loopback IP address. */
  host: string;
  port: number;
}

/** What the lock file says about the process that owns the directory. */
export interface DataDirHolder {
  pid: number;
  /** What it runs, e.g. `orderops serve` or `orderops chat`. */
  command: string;
  since: string;
  /** Present once the holder serves its database; absent when nobody else may use it. */
  database?: DatabaseAddress;
  /** Tells this holding apart from an earlier one with the same pid (containers reuse pids). */
  token: string;
}

/** DATA_DIR is owned by another live process (or by another part of this one). */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
    detail?: string,
  ) {
    super(
      `orderops is already running (pid ${holder.pid}): "${holder.command}" holds DATA_DIR ${dataDir}` +
        `; ${detail ?? 'stop it first, or give this one another DATA_DIR'}`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Ownership of one data directory, held until `release()` or the end of the process. */
export interface DataDirLock {
  readonly dataDir: string;
  /** Records in the lock file where this process serves its database. */
  advertise(database: DatabaseAddress): void;
  /** Gives the directory up; does nothing when this process no longer holds it. */
  release(): void;
}

// Tokens of the locks this process holds, by lock path: a second holder inside one process is
// refused, while a lock naming this pid but not held here is an earlier incarnation's.
const heldHere = new Map<string, string>();
let exitHookInstalled = false;

/**
 * Takes DATA_DIR for this process, or throws DataDirLockedError naming the live holder. The lock
 * file appears whole or not at all (written aside, then hard-linked into place, which fails when
 * one exists), so a reader never sees half a lock. A lock whose process is gone is taken over.
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: DataDirHolder = { pid: process.pid, command, since: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 10; attempt++) {
    if (createExclusive(path, mine)) {
      heldHere.set(path, mine.token);
      installExitHook();
      return lockHandle(dir, path, mine);
    }
    const holder = readLockFile(path);
    if (holder === null) continue; // released between our attempt and the read
    if (holder && isAlive(path, holder)) throw new DataDirLockedError(dir, holder);
    // Stale. Moving it aside is atomic, so of several processes taking over only one removes it.
    const aside = `${path}.stale-${mine.token}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readLockFile(aside);
    if (moved && moved.token !== holder?.token && isAlive(path, moved)) {
      // A live process took over in between and we moved its fresh lock: put it back.
      try {
        linkSync(aside, path);
      } catch {
        // Someone else is in place already; either way the directory is taken.
      }
      unlinkQuietly(aside);
      throw new DataDirLockedError(dir, moved);
    }
    unlinkQuietly(aside);
  }
  throw new Error(`could not take the lock ${path}: it keeps changing`);
}

/** The holder recorded in DATA_DIR's lock file, if any (undefined when there is none or it is unreadable). */
export function readDataDirLock(dataDir: string): DataDirHolder | undefined {
  return readLockFile(join(resolve(dataDir), LOCK_FILE)) ?? undefined;
}

function lockHandle(dataDir: string, path: string, mine: DataDirHolder): DataDirLock {
  const stillMine = () => heldHere.get(path) === mine.token && readLockFile(path)?.token === mine.token;
  return {
    dataDir,
    advertise(database) {
      if (!stillMine()) throw new Error(`the lock ${path} is no longer held by this process`);
      const tmp = `${path}.${mine.token}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...mine, database }));
      renameSync(tmp, path);
    },
    release() {
      if (stillMine()) unlinkQuietly(path);
      if (heldHere.get(path) === mine.token) heldHere.delete(path);
    },
  };
}

function createExclusive(path: string, holder: DataDirHolder): boolean {
  const tmp = `${path}.${holder.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder));
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

/** null: no file; undefined: a file that is not a lock; otherwise its holder. */
function readLockFile(path: string): DataDirHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DataDirHolder>;
    if (!Number.isInteger(parsed.pid) || (parsed.pid ?? 0) <= 0 || typeof parsed.token !== 'string') return undefined;
    return {
      pid: parsed.pid!,
      command: typeof parsed.command === 'string' ? parsed.command : 'orderops',
      since: typeof parsed.since === 'string' ? parsed.since : '',
      token: parsed.token,
      ...(isAddress(parsed.database) ? { database: parsed.database } : {}),
    };
  } catch {
    return undefined;
  }
}

function isAddress(value: unknown): value is DatabaseAddress {
  const v = value as DatabaseAddress | undefined;
  return typeof v?.host === 'string' && Number.isInteger(v.port);
}

function isAlive(path: string, holder: DataDirHolder): boolean {
  if (holder.pid === process.pid) return heldHere.get(path) === holder.token;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A process that exits without stopping cleanly (process.exit, an uncaught error) leaves no lock behind.
  process.on('exit', () => {
    for (const [path, token] of heldHere) {
      if (readLockFile(path)?.token === token) unlinkQuietly(path);
    }
  });
}
