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
});
