import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { createPgliteWorkerDb } from './pglite-worker-db.js';

describe('createPgliteWorkerDb', { timeout: 60_000 }, () => {
  let db: Db;
  beforeAll(async () => {
    db = await createPgliteWorkerDb();
    await db.exec('CREATE TABLE worker_t (id int PRIMARY KEY, v text)');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('returns rows as the in-process PGlite does: NUMERIC as strings, INT8 as numbers, JSONB parsed, bytea as bytes', async () => {
    const { rows } = await db.query<{ n: string; b: number; j: unknown; bytes: Uint8Array }>(
      `SELECT 0.1::numeric(14,2) + 0.2::numeric(14,2) AS n, 9007199254740::int8 AS b, $1::jsonb AS j, $2::bytea AS bytes`,
      [JSON.stringify({ k: [1, 'x'] }), Buffer.from('hi')],
    );
    expect(rows[0]).toMatchObject({ n: '0.30', b: 9007199254740, j: { k: [1, 'x'] } });
    expect(Buffer.from(rows[0]!.bytes).toString()).toBe('hi');
  });

  it('commits, rolls back on a throw, and nests as savepoints', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO worker_t VALUES (1, 'kept')`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.query(`INSERT INTO worker_t VALUES (2, 'inner')`);
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO worker_t VALUES (3, 'gone')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT id FROM worker_t ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });

  it('keeps concurrent transactions apart', async () => {
    await db.exec(`CREATE TABLE worker_c (id int PRIMARY KEY, v int); INSERT INTO worker_c VALUES (1, 0)`);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ v: number }>('SELECT v FROM worker_c WHERE id = 1');
          await tx.query('UPDATE worker_c SET v = $1 WHERE id = 1', [rows[0]!.v + 1]);
        }),
      ),
    );
    expect((await db.query('SELECT v FROM worker_c')).rows).toEqual([{ v: 20 }]);
  });

  it("carries PostgreSQL's error fields across the thread", async () => {
    const err = await db.query(`INSERT INTO worker_t VALUES (1, 'again')`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'worker_t_pkey' });
  });

  it('delivers NOTIFY to a listener until it unlistens', async () => {
    const heard: string[] = [];
    const unlisten = await db.listen('worker_events', (p) => heard.push(p));
    await db.query(`SELECT pg_notify('worker_events', 'one')`);
    await expect.poll(() => heard).toEqual(['one']);
    await unlisten();
    await db.query(`SELECT pg_notify('worker_events', 'two')`);
    await db.query('SELECT 1');
    expect(heard).toEqual(['one']);
  });
});
