import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCK_FILE, readDataDirLock } from '../../src/db/data-dir-lock.js';
import { openSharedDb, SERVER_COMMAND } from '../../src/db/open-shared-db.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { DEMO_BASE_DATE, generateDemoData } from '../../src/demo/generate-demo-data.js';

// One process owns DATA_DIR's PGlite. These cases run the real `npm start` and the real CLI as
// child processes on one data directory, the way an operator does in two terminals.

const repoRoot = resolve(import.meta.dirname, '../..');
const BIN = join(repoRoot, 'bin/orderops.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'orderops-datadir-'));

/** Only what the embedded default needs: no DATABASE_URL, Redis, Slack, model key or SMTP relay. */
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  SMTP_PORT: '0',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'info',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function startServer(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /HTTP API listening on (http:\/\/\S+)/.exec(output);
      if (m) resolvePromise({ child, url: m[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function runNode(args: string[], input?: string, dataDirOverride?: string): Promise<Run> {
  const childEnv = dataDirOverride ? { ...env, DATA_DIR: dataDirOverride } : env;
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input ?? '');
  // A process that should have refused but runs on is stopped, so the case fails instead of hanging.
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((r) =>
    child.once('exit', (status) => {
      clearTimeout(timer);
      r({ status, stdout, stderr });
    }),
  );
}

const cli = (args: string[], input?: string, dataDirOverride?: string) => runNode([BIN, ...args], input, dataDirOverride);
const secondStart = () => runNode(['--import', 'tsx', 'src/main.ts']);

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

// The demo store `orderops seed --demo --as-of <DEMO_BASE_DATE>` loads is deterministic: pick from it.
const demo = generateDemoData({ seed: 42, baseDate: DEMO_BASE_DATE });
const pendingOrderId = String(demo.orders.find((o) => o.status === 'pending')!.id);
const stocked = demo.inventoryLevels.reduce((best, l) => (Number(l.on_hand) > Number(best.on_hand) ? l : best));
const stockedSku = String(demo.variants.find((v) => v.id === stocked.variant_id)!.sku);

describe('one process owns DATA_DIR', { timeout: 180_000 }, () => {
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // A migrated data directory from the test template (initdb would take several seconds).
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await db.close();
    // What a crashed orderops leaves behind: a lock naming a process that no longer exists.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), command: 'orderops serve', token: 'crashed', since: new Date(0).toISOString() }));
    const lastHeartbeat = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, LOCK_FILE), lastHeartbeat, lastHeartbeat);
    // As a default umask leaves a directory: every local user could read the customers' data.
    chmodSync(dataDir, 0o755);
    server = await startServer();
  }, 180_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('npm start takes over a lock whose process is gone', () => {
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(server.child.pid);
  });

  it('npm start makes DATA_DIR readable by its user only, saying so, and its lock file 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(server.output()).toContain(`DATA_DIR ${dataDir} was mode 0755`);
    expect(statSync(join(dataDir, LOCK_FILE)).mode & 0o777).toBe(0o600);
  });

  it('a second npm start on the same DATA_DIR exits 1 naming the running pid', async () => {
    const second = await secondStart();
    expect(second.stderr).toContain(`orderops is already running (pid ${server.child.pid})`);
    expect(second.status).toBe(1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('orderops seed while the server runs writes into the server\'s database', async () => {
    const seeded = await cli(['seed', '--demo', '--as-of', DEMO_BASE_DATE.toISOString()]);
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ orders: demo.orders.length });
  });

  it('a cancellation approved in orderops chat is visible through the server, and the server writes on without duplicate keys', async () => {
    const chat = await cli(['chat'], `cancel order ${pendingOrderId}, ordered by mistake\ny\n`);
    expect(chat.stdout).toContain('it was approved and has been completed');
    expect(chat.status).toBe(0);

    const order = (await (await fetch(`${server.url}/api/orders/${encodeURIComponent(pendingOrderId)}`)).json()) as { order: { status: string } };
    expect(order.order.status).toBe('cancelled');

    const created = await fetch(`${server.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'shopify',
        external_id: 'after-chat-1',
        customer: { email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' },
        shipping_address: { address1: '1 Analytical Way', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: stockedSku, quantity: 1 }],
        payment: { method: 'card' },
      }),
    });
    expect(created.status).toBe(201);
    expect(server.output()).not.toMatch(/duplicate key/i);
  });

  it('after the server stops, a CLI command owns the directory itself, and a server cannot start beside it', async () => {
    server.child.kill('SIGTERM');
    expect(await waitForExit(server.child)).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    // The chat holds the directory while it waits for input.
    const chat = spawn(process.execPath, [BIN, 'chat'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let chatOut = '';
    await new Promise<void>((r, reject) => {
      chat.stdout.on('data', (c: Buffer) => {
        chatOut += c.toString();
        if (chatOut.includes('you> ')) r();
      });
      chat.once('exit', (code) => reject(new Error(`chat exited with ${code}: ${chatOut}`)));
    });
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(chat.pid);

    const refused = await secondStart();
    expect(refused.stderr).toContain(`orderops is already running (pid ${chat.pid})`);
    expect(refused.status).toBe(1);

    const other = await cli(['email', 'handoffs']);
    expect(other.stderr).toContain(`(pid ${chat.pid})`);
    expect(other.status).toBe(2);

    chat.stdin.end('\n');
    expect(await waitForExit(chat)).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    const alone = await cli(['email', 'handoffs']);
    expect(alone.stdout).toContain('no email hand-offs are waiting');
    expect(alone.status).toBe(0);

    // Everything written through the server is in the directory itself.
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    try {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [pendingOrderId]);
      expect(rows).toEqual([{ status: 'cancelled' }]);
      const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      expect(count.rows[0]!.n).toBe(demo.orders.length + 1);
    } finally {
      await db.close();
    }
  });
});

/** Local addresses of the TCP sockets this process listens on (Linux: its fds matched against /proc/net/tcp*). */
function tcpListenersOfThisProcess(): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed while listing
    }
  }
  const listening: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = row.trim().split(/\s+/);
      if (state === '0A' && inodes.has(inode!)) listening.push(local!);
    }
  }
  return listening.sort();
}

describe.skipIf(process.platform !== 'linux')('a DATA_DIR too deep for a socket path', { timeout: 120_000 }, () => {
  // DATA_DIR/.s.PGSQL.5432 is longer than a Unix socket path may be.
  const deep = join(mkdtempSync(join(tmpdir(), 'orderops-deep-')), 'd'.repeat(100));

  beforeAll(async () => {
    mkdirSync(deep);
    const db = await createPgliteDb({ dataDir: join(deep, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await db.close();
  }, 60_000);

  it('serves the database from a private 0700 directory, opens no TCP port, and a CLI command still reaches it', async () => {
    const before = tcpListenersOfThisProcess();
    const owner = await openSharedDb({ DATA_DIR: deep, DATABASE_URL: undefined }, { command: SERVER_COMMAND, share: true });
    let socketDir: string;
    try {
      const advertised = readDataDirLock(deep)?.database;
      expect(advertised?.host.startsWith('/')).toBe(true);
      socketDir = advertised!.host;
      expect(socketDir.startsWith(deep)).toBe(false);
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(socketDir, `.s.PGSQL.${advertised!.port}`)).mode & 0o777).toBe(0o600);
      expect(tcpListenersOfThisProcess()).toEqual(before);

      // The owner holds DATA_DIR, so the command can only succeed through its socket.
      const migrated = await cli(['db', 'migrate'], undefined, deep);
      expect(migrated.stderr).toBe('');
      expect(migrated.stdout).toContain('database is up to date');
      expect(migrated.status).toBe(0);
    } finally {
      await owner.close();
    }
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(join(deep, LOCK_FILE))).toBe(false);
  });
});
