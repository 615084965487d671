import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { socketFileOf, type DatabaseAddress } from './database-address.js';

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = 'orderops.lock';
/** How often a holder refreshes its lock file's mtime, its sign of life to processes that cannot see its pid. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
// A lock whose pid is not visible from here counts as stale only once its heartbeat is this old.
const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
// Whoever creates `orderops.lock.takeover` is the only one that may remove a stale lock.
const TAKEOVER_SUFFIX = '.takeover';
// It is held for a few file operations, so one this old whose writer is not visible was left by a crash.
const TAKEOVER_ABANDONED_MS = 10_000;
// How long to wait for other processes' takeovers to settle before giving up.
const TAKEOVER_WAIT_MS = 3_000;
const TAKEOVER_RETRY_MS = 20;
const PROBE_TIMEOUT_MS = 1_000;

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
  /**
   * The kernel boot and PID namespace the pid belongs to. Only a process in the same one can
   * conclude from the pid's absence that the holder is gone; any other waits for its heartbeat to age.
   */
  pidNamespace?: string;
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

export interface AcquireDataDirLockOptions {
  /** Told when DATA_DIR's permissions let other local users in (and whether they were tightened). */
  log?: (line: string) => void;
}

/** A lock file as read: its text (what identifies it), when its heartbeat last beat, and its holder if it is a lock. */
interface LockFileState {
  text: string;
  mtimeMs: number;
  holder?: DataDirHolder;
}

// Tokens of the locks this process holds, by lock path: a second holder inside one process is
// refused, while a lock naming this pid but not held here is an earlier incarnation's.
const heldHere = new Map<string, string>();
let exitHookInstalled = false;
const PID_NAMESPACE = currentPidNamespace();

/**
 * Takes DATA_DIR for this process, or throws DataDirLockedError naming the live holder. DATA_DIR
 * is made readable by this user only. The lock file appears whole or not at all (written aside,
 * then hard-linked into place, which fails when one exists), so a reader never sees half a lock.
 * A lock is stale when its pid is gone and either it was written in this PID namespace or its
 * heartbeat is old, and the socket it advertises (if any) does not answer; a stale lock is taken
 * over by one process only (the one that creates `orderops.lock.takeover`).
 */
export async function acquireDataDirLock(
  dataDir: string,
  command: string,
  options: AcquireDataDirLockOptions = {},
): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  makePrivate(dir, options.log);
  const path = join(dir, LOCK_FILE);
  const mine: DataDirHolder = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    token: randomUUID(),
    ...(PID_NAMESPACE ? { pidNamespace: PID_NAMESPACE } : {}),
  };
  const giveUpAt = Date.now() + TAKEOVER_WAIT_MS;
  while (Date.now() < giveUpAt) {
    if (createExclusive(path, mine)) return hold(dir, path, mine);
    const found = inspect(path);
    if (found === null) continue; // released between our attempt and the read
    const alive = await liveHolder(path, found);
    if (alive) throw new DataDirLockedError(dir, found.holder!, alive.detail);
    const outcome = takeOver(path, found, mine);
    if (outcome === 'taken') return hold(dir, path, mine);
    if (outcome === 'busy') await new Promise((r) => setTimeout(r, TAKEOVER_RETRY_MS));
  }
  const guard = path + TAKEOVER_SUFFIX;
  throw new Error(
    existsSync(guard)
      ? `could not take the lock ${path}: another process is taking it over (${guard}); if no orderops is starting, remove that file`
      : `could not take the lock ${path}: it keeps changing`,
  );
}

/** The holder recorded in DATA_DIR's lock file, if any (undefined when there is none or it is unreadable). */
export function readDataDirLock(dataDir: string): DataDirHolder | undefined {
  return readLockFile(join(resolve(dataDir), LOCK_FILE)) ?? undefined;
}

function makePrivate(dir: string, log: AcquireDataDirLockOptions['log']): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { mode, uid } = statSync(dir);
  if ((mode & 0o077) === 0) return;
  const was = (mode & 0o777).toString(8).padStart(4, '0');
  if (uid !== process.getuid?.()) {
    log?.(`DATA_DIR ${dir} is mode ${was} and belongs to another user, so other local users may read its data; make it 0700`);
    return;
  }
  chmodSync(dir, 0o700);
  log?.(`DATA_DIR ${dir} was mode ${was}, readable by other local users; it is now 0700`);
}

function hold(dataDir: string, path: string, mine: DataDirHolder): DataDirLock {
  heldHere.set(path, mine.token);
  installExitHook();
  const stillMine = () => heldHere.get(path) === mine.token && readLockFile(path)?.token === mine.token;
  const heartbeat = setInterval(() => {
    try {
      if (stillMine()) {
        const now = new Date();
        utimesSync(path, now, now);
      }
    } catch {
      // The next beat tries again; a lock that is gone has nothing to refresh.
    }
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  return {
    dataDir,
    advertise(database) {
      if (!stillMine()) throw new Error(`the lock ${path} is no longer held by this process`);
      const tmp = `${path}.${mine.token}.tmp`;
      writePrivate(tmp, { ...mine, database });
      renameSync(tmp, path);
    },
    release() {
      clearInterval(heartbeat);
      if (stillMine()) unlinkQuietly(path);
      if (heldHere.get(path) === mine.token) heldHere.delete(path);
    },
  };
}

/**
 * Removes the stale lock `stale` and puts this process's in place, provided this process is the
 * one taking over (it created the takeover file) and the lock is still that stale one. Runs
 * without awaiting, so nothing of this process interleaves.
 */
function takeOver(path: string, stale: LockFileState, mine: DataDirHolder): 'taken' | 'busy' | 'changed' {
  const guard = path + TAKEOVER_SUFFIX;
  if (!createExclusive(guard, mine)) {
    clearAbandonedTakeover(guard);
    return 'busy';
  }
  try {
    const now = inspect(path);
    if (now !== null) {
      if (now.text !== stale.text || (now.holder && aliveFromHere(path, now.holder, now.mtimeMs))) return 'changed';
      const aside = `${path}.stale-${mine.token}`;
      try {
        renameSync(path, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const moved = readText(aside);
      if (moved !== undefined && moved !== stale.text) {
        // Only a process that wrongly cleared a live takeover file could have put this here: restore it.
        putBack(aside, path);
        return 'changed';
      }
      unlinkQuietly(aside);
    }
    return createExclusive(path, mine) ? 'taken' : 'changed';
  } finally {
    if (readLockFile(guard)?.token === mine.token) unlinkQuietly(guard);
  }
}

/** Removes a takeover file whose writer died before finishing (otherwise nobody could ever take over). */
function clearAbandonedTakeover(guard: string): void {
  const found = inspect(guard);
  if (!found) return;
  const writer = found.holder ? pidState(guard, found.holder) : 'unknown';
  if (writer === 'alive' || (writer === 'unknown' && Date.now() - found.mtimeMs < TAKEOVER_ABANDONED_MS)) return;
  const aside = `${guard}.stale-${randomUUID()}`;
  try {
    renameSync(guard, aside);
  } catch {
    return; // someone else cleared it
  }
  if (readText(aside) !== found.text) putBack(aside, guard);
  else unlinkQuietly(aside);
}

function putBack(aside: string, path: string): void {
  try {
    linkSync(aside, path);
  } catch {
    // Another one is in place already; either way the file is taken.
  }
  unlinkQuietly(aside);
}

/** Whether the lock's holder is alive, with what to tell the one refused; undefined when the lock is stale. */
async function liveHolder(path: string, found: LockFileState): Promise<{ detail?: string } | undefined> {
  if (!found.holder) return undefined; // not a lock: it is always written whole, so no live holder wrote it
  const alive = aliveFromHere(path, found.holder, found.mtimeMs);
  if (alive) return alive;
  if (found.holder.database && (await answers(found.holder.database))) return {};
  return undefined;
}

function aliveFromHere(path: string, holder: DataDirHolder, mtimeMs: number): { detail?: string } | undefined {
  const pid = pidState(path, holder);
  if (pid === 'alive') return {};
  if (pid === 'dead') return undefined;
  const age = Date.now() - mtimeMs;
  if (age >= HEARTBEAT_STALE_MS) return undefined;
  return {
    detail:
      `its pid is not visible from here (another container sharing DATA_DIR?), but its heartbeat in ${path} is ` +
      `${Math.max(0, Math.round(age / 1000))} s old; stop it first, or give this one another DATA_DIR ` +
      `(a lock whose heartbeat is ${HEARTBEAT_STALE_MS / 1000} s old is taken over)`,
  };
}

/** alive: it runs; dead: it is gone for sure; unknown: its pid is not visible from this PID namespace. */
function pidState(path: string, holder: DataDirHolder): 'alive' | 'dead' | 'unknown' {
  if (holder.pid === process.pid && heldHere.get(path) === holder.token) return 'alive';
  if (holder.pid !== process.pid && processExists(holder.pid)) return 'alive';
  return PID_NAMESPACE !== undefined && holder.pidNamespace === PID_NAMESPACE ? 'dead' : 'unknown';
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts connections on the socket; a probe that neither connects nor fails counts as an answer. */
function answers(address: DatabaseAddress): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect(socketFileOf(address));
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(answered);
    };
    const timer = setTimeout(() => done(true), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function createExclusive(path: string, holder: DataDirHolder): boolean {
  const tmp = `${path}.${holder.token}.tmp`;
  writePrivate(tmp, holder);
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

function writePrivate(path: string, holder: DataDirHolder): void {
  writeFileSync(path, JSON.stringify(holder), { mode: 0o600, flag: 'wx' });
}

/** null: no file. */
function inspect(path: string): LockFileState | null {
  const text = readText(path);
  if (text === undefined) return null;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const holder = parseHolder(text);
  return { text, mtimeMs, ...(holder ? { holder } : {}) };
}

/** null: no file; undefined: a file that is not a lock; otherwise its holder. */
function readLockFile(path: string): DataDirHolder | null | undefined {
  const text = readText(path);
  return text === undefined ? null : parseHolder(text);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseHolder(text: string): DataDirHolder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<DataDirHolder>;
    if (!Number.isInteger(parsed.pid) || (parsed.pid ?? 0) <= 0 || typeof parsed.token !== 'string') return undefined;
    return {
      pid: parsed.pid!,
      command: typeof parsed.command === 'string' ? parsed.command : 'orderops',
      since: typeof parsed.since === 'string' ? parsed.since : '',
      token: parsed.token,
      ...(isAddress(parsed.database) ? { database: parsed.database } : {}),
      ...(typeof parsed.pidNamespace === 'string' ? { pidNamespace: parsed.pidNamespace } : {}),
    };
  } catch {
    return undefined;
  }
}

function isAddress(value: unknown): value is DatabaseAddress {
  const v = value as DatabaseAddress | undefined;
  return typeof v?.host === 'string' && isAbsolute(v.host) && Number.isInteger(v.port);
}

/** The kernel boot and PID namespace of this process (Linux); undefined where that cannot be read. */
function currentPidNamespace(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot} ${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
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
