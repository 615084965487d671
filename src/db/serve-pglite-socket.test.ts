import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/support/test-db.js';
import type { Db } from './db.js';
import { createPostgresDb } from './postgres-db.js';
import { servePgliteSocket, socketConnectionString, type PgliteSocket } from './serve-pglite-socket.js';

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** Resolves to true when `p` settles within `ms`, false when it is still pending. */
async function settlesWithin(p: Promise<unknown>, ms = 200): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), settle(ms).then(() => false)]);
}

describe('PGlite served over a socket beside its own process', () => {
  let db: Db;
  let dataDir: string;
  let socket: PgliteSocket;
  let client: Db;
  /** A separate socket connection with a transaction open that has inserted `who`. */
  const openTransaction = async (who: string) => {
    const conn = new pg.Client({ connectionString: socketConnectionString(socket.address) });
    conn.on('error', () => undefined);
    await conn.connect();
    await conn.query('BEGIN');
    await conn.query('INSERT INTO socket_t VALUES ($1)', [who]);
    return conn;
  };
  const rows = async () => (await db.query<{ who: string }>('SELECT who FROM socket_t ORDER BY who')).rows.map((r) => r.who);

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await db.exec('CREATE TABLE socket_t (who text PRIMARY KEY)');
    dataDir = mkdtempSync(join(tmpdir(), 'orderops-socket-'));
    socket = await servePgliteSocket(db, dataDir);
    // As openSharedDb connects: every socket client shares PGlite's one session, prepared statements included.
    client = createPostgresDb(socketConnectionString(socket.address), { max: 4, preparedStatements: false });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await socket?.stop();
    await db?.close();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM socket_t');
  });

  it('listens on a socket file inside the data directory that only its owner may open', () => {
    expect(socket.address.host).toBe(dataDir);
    const file = join(dataDir, `.s.PGSQL.${socket.address.port}`);
    expect(statSync(file).isSocket()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('speaks the pg protocol: parameters, types and errors as PostgreSQL does', async () => {
    const { rows: r } = await client.query<{ n: number; d: string; j: { a: number } }>(
      `SELECT $1::int8 + 1 AS n, 1.50::numeric AS d, '{"a":1}'::jsonb AS j`,
      [41],
    );
    expect(r[0]).toEqual({ n: 42, d: '1.50', j: { a: 1 } });
    await expect(client.query('SELECT * FROM no_such_table')).rejects.toThrow('relation "no_such_table" does not exist');
    expect((await client.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('keeps in-process statements out of a socket transaction until it ends', async () => {
    const conn = await openTransaction('socket, rolled back');
    try {
      const inProcess = db.transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_t VALUES ('in-process')`);
      });
      const plain = db.query(`INSERT INTO socket_t VALUES ('in-process, no transaction')`);
      expect(await settlesWithin(inProcess)).toBe(false);
      expect(await settlesWithin(plain)).toBe(false);
      await conn.query('ROLLBACK');
      await inProcess;
      await plain;
    } finally {
      await conn.end();
    }
    expect(await rows()).toEqual(['in-process', 'in-process, no transaction']);
  });

  it('keeps socket statements out of an in-process transaction until it ends', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const inProcess = db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_t VALUES ('in-process, rolled back')`);
        started();
        await released;
        throw new Error('roll back');
      })
      .catch((err: Error) => err.message);
    await begun;
    const fromSocket = client.query(`INSERT INTO socket_t VALUES ('socket')`);
    const socketTransaction = client.transaction(async (tx) => {
      await tx.query(`INSERT INTO socket_t VALUES ('socket, in a transaction')`);
    });
    expect(await settlesWithin(fromSocket)).toBe(false);
    expect(await settlesWithin(socketTransaction)).toBe(false);
    release();
    expect(await inProcess).toBe('roll back');
    await fromSocket;
    await socketTransaction;
    expect(await rows()).toEqual(['socket', 'socket, in a transaction']);
  });

  it('keeps one socket connection out of another connection\'s transaction', async () => {
    const a = await openTransaction('a, rolled back');
    try {
      const b = client.query(`INSERT INTO socket_t VALUES ('b')`);
      expect(await settlesWithin(b)).toBe(false);
      await a.query('ROLLBACK');
      await b;
    } finally {
      await a.end();
    }
    expect(await rows()).toEqual(['b']);
  });

  it('rolls back what a client left open when it vanishes, and lets everyone else go on', async () => {
    const gone = await openTransaction('vanished');
    (gone as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await db.query(`INSERT INTO socket_t VALUES ('in-process')`);
    await client.query(`INSERT INTO socket_t VALUES ('socket')`);
    expect(await rows()).toEqual(['in-process', 'socket']);
  });

  it('rolls back a statement a client sent without its Sync, instead of committing it', async () => {
    const raw = await import('node:net').then(({ createConnection }) =>
      createConnection(join(socket.address.host, `.s.PGSQL.${socket.address.port}`)),
    );
    await new Promise((r) => raw.once('connect', r));
    const message = (type: string, body: Buffer) => {
      const head = Buffer.alloc(5);
      head.write(type, 0);
      head.writeInt32BE(body.length + 4, 1);
      return Buffer.concat([head, body]);
    };
    const cstr = (s: string) => Buffer.from(`${s}\0`);
    const startupBody = Buffer.concat([Buffer.from([0, 3, 0, 0]), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
    const startup = Buffer.alloc(4);
    startup.writeInt32BE(startupBody.length + 4);
    raw.write(Buffer.concat([startup, startupBody]));
    await settle(300);
    // Parse, Bind and Execute an INSERT but never Sync: the statement has run, uncommitted.
    raw.write(
      Buffer.concat([
        message('P', Buffer.concat([cstr(''), cstr(`INSERT INTO socket_t VALUES ('never synced')`), Buffer.from([0, 0])])),
        message('B', Buffer.concat([cstr(''), cstr(''), Buffer.from([0, 0, 0, 0, 0, 0])])),
        message('E', Buffer.concat([cstr(''), Buffer.from([0, 0, 0, 0])])),
      ]),
    );
    await settle(300);
    const inProcess = db.query(`INSERT INTO socket_t VALUES ('in-process')`);
    expect(await settlesWithin(inProcess)).toBe(false);
    raw.destroy();
    await inProcess;
    expect(await rows()).toEqual(['in-process']);
  });

  it('gives every caller its own result when socket clients and the process query at once', async () => {
    const calls: Promise<[number, number]>[] = [];
    for (let i = 0; i < 40; i++) {
      const via = i % 2 === 0 ? client : db;
      calls.push(via.query<{ v: number }>('SELECT $1::int * 2 AS v', [i]).then((r) => [i, r.rows[0]!.v]));
    }
    for (const [i, v] of await Promise.all(calls)) expect(v).toBe(i * 2);
  });

  it('serves from a private 0700 temporary directory, never TCP, when the data directory is too deep for a socket path', async () => {
    const deep = join(mkdtempSync(join(tmpdir(), 'orderops-socket-deep-')), 'd'.repeat(100));
    mkdirSync(deep);
    const served = await servePgliteSocket(db, deep);
    const viaSocket = createPostgresDb(socketConnectionString(served.address), { max: 1, preparedStatements: false });
    const privateDir = served.address.host;
    try {
      expect(privateDir.startsWith(join(tmpdir(), 'orderops-'))).toBe(true);
      expect(statSync(privateDir).mode & 0o777).toBe(0o700);
      const file = join(privateDir, `.s.PGSQL.${served.address.port}`);
      expect(statSync(file).isSocket()).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((await viaSocket.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await viaSocket.close();
      await served.stop();
    }
    expect(existsSync(privateDir)).toBe(false);
  });

  it('removes its socket file when it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderops-socket-stop-'));
    const other = await servePgliteSocket(db, dir);
    const file = join(dir, `.s.PGSQL.${other.address.port}`);
    expect(existsSync(file)).toBe(true);
    await other.stop();
    expect(existsSync(file)).toBe(false);
    expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });
});
