import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { withDatabase } from './global-setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
    postgresRunId: string;
  }
}

export type Backend = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_POSTGRES_URL is set (CI sets it). */
export function testBackends(): Backend[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDbOptions {
  /** PostgreSQL pool size (default: the production default); a concurrency test wants real contention. */
  poolSize?: number;
}

/** A fresh, migrated, empty database of the given backend, private to the caller. */
export async function openTestDb(backend: Backend, options: TestDbOptions = {}): Promise<Db> {
  if (backend === 'pglite') {
    const dump = readFileSync(inject('pgliteTemplate'));
    return createPgliteDb({ loadDataDir: new Blob([dump]) });
  }
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set');
  const name = `orderops_t_${inject('postgresRunId')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  await admin.end();
  return createPostgresDb(withDatabase(url, name), {
    ...(options.poolSize ? { max: options.poolSize } : {}),
    onClose: async () => {
      const drop = new pg.Client({ connectionString: url });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  });
}
/**
 * Runs the same suite once per available backend with a database of its own:
 * `describeEachDb('orders', (ctx) => { it('...', async () => { ctx.db ... }) })`.
 */
export function describeEachDb(
  name: string,
  body: (ctx: { db: Db; backend: Backend }) => void,
  options: TestDbOptions = {},
): void {
  for (const backend of testBackends()) {
    describe(`${name} [${backend}]`, () => {
      const ctx = { backend } as { db: Db; backend: Backend };
      beforeAll(async () => {
        ctx.db = await openTestDb(backend, options);
      }, 60_000);
      afterAll(async () => {
        await ctx.db?.close();
      });
      body(ctx);
    });
  }
}

/** One database for the enclosing describe block: opened before its tests, closed after them. */
export function useTestDb(backend: Backend = 'pglite'): { db: Db } {
  const holder = {} as { db: Db };
  beforeAll(async () => {
    holder.db = await openTestDb(backend);
  }, 60_000);
  afterAll(async () => {
    await holder.db?.close();
  });
  return holder;
}
