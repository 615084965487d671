import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { createPostgresDb } from './postgres-db.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

describe('PostgreSQL Db', () => {
  it.skipIf(!POSTGRES_URL)('fails a transaction whose connection is ended between its queries, and the process and pool live on', async () => {
    const db = createPostgresDb(POSTGRES_URL!, { max: 2 });
    const admin = createPostgresDb(POSTGRES_URL!, { max: 1 });
    try {
      const result = db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // As a server shutdown does to every session: FATAL 57P01 arrives while no query runs.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((r) => setTimeout(r, 300));
        await tx.query('SELECT 1');
      });
      const err = await result.then(() => null, (e: unknown) => e);
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect((await db.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
      await admin.close();
    }
  });

  it.skipIf(!POSTGRES_URL)('prepares a statement run again on a session, and plans it afresh after the table changed under it', async () => {
    const db = createPostgresDb(POSTGRES_URL!, { max: 1 });
    const table = `prepared_probe_${process.pid}`;
    try {
      await db.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, a text)`);
      await db.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'x']);
      const select = `SELECT * FROM ${table} WHERE id = $1`;
      for (let i = 0; i < 3; i++) expect((await db.query(select, [1])).rows).toEqual([{ id: 1, a: 'x' }]);
      const prepared = await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
      expect(prepared.rows.map((r) => r.statement)).toContain(select);

      // What a migration run by another process does while this one serves.
      await db.exec(`ALTER TABLE ${table} ADD COLUMN b int NOT NULL DEFAULT 7`);
      expect((await db.query(select, [1])).rows).toEqual([{ id: 1, a: 'x', b: 7 }]);
      expect((await db.query(select, [1])).rows).toEqual([{ id: 1, a: 'x', b: 7 }]);
    } finally {
      await db.exec(`DROP TABLE IF EXISTS ${table}`);
      await db.close();
    }
  });

  it.skipIf(!POSTGRES_URL)('runs a transaction once more when a statement it prepared went stale or was dropped from the session', async () => {
    const db = createPostgresDb(POSTGRES_URL!, { max: 1 });
    const admin = createPostgresDb(POSTGRES_URL!, { max: 1 });
    const table = `prepared_tx_probe_${process.pid}`;
    try {
      await admin.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, a text)`);
      await admin.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'x']);
      const select = `SELECT * FROM ${table} WHERE id = $1`;
      const read = () => db.transaction(async (tx) => (await tx.query(select, [1])).rows);
      for (let i = 0; i < 3; i++) expect(await read()).toEqual([{ id: 1, a: 'x' }]);

      await admin.exec(`ALTER TABLE ${table} ADD COLUMN b int NOT NULL DEFAULT 7`);
      expect(await read()).toEqual([{ id: 1, a: 'x', b: 7 }]);
      expect(await read()).toEqual([{ id: 1, a: 'x', b: 7 }]);

      // The session forgets every statement behind the client's back, as a pooler's new session would.
      await db.exec('DEALLOCATE ALL');
      expect(await read()).toEqual([{ id: 1, a: 'x', b: 7 }]);
      expect((await db.query(select, [1])).rows).toEqual([{ id: 1, a: 'x', b: 7 }]);
    } finally {
      await admin.exec(`DROP TABLE IF EXISTS ${table}`);
      await db.close();
      await admin.close();
    }
  });
});
