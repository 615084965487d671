import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildConsoleIfStale } from '../../console/build-if-stale.js';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb, pgliteOf } from '../../src/db/pglite-db.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';

/**
 * Builds one migrated database template per backend before any test runs: a PGlite data
 * directory dump (initdb takes seconds; loading a dump takes one) and, when TEST_POSTGRES_URL is
 * set, a PostgreSQL template database that each test file clones with CREATE DATABASE; and the
 * console's front end, when dist/console is missing or older than its sources.
 */
export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  // The console's routes and browser tests serve dist/console: built once, only when stale.
  await buildConsoleIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'orderops-test-'));
  const db = await createPgliteDb();
  await migrate(db);
  const dump = await pgliteOf(db).dumpDataDir('none');
  const dumpPath = join(dir, 'pglite-template.tar');
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  process.env.ORDEROPS_TEST_PGLITE_TEMPLATE = dumpPath;
  provide('pgliteTemplate', dumpPath);

  const url = process.env.TEST_POSTGRES_URL;
  if (url) {
    const template = `orderops_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const templateDb = createPostgresDb(withDatabase(url, template), { max: 1 });
    await migrate(templateDb);
    await templateDb.close();
    provide('postgresTemplate', template);
    provide('postgresRunId', String(process.pid));
    return async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      const { rows } = await cleanup.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $2) OR datname = $1`,
        [template, `orderops_t_${process.pid}_`],
      );
      for (const r of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  provide('postgresTemplate', '');
  provide('postgresRunId', '');
  return undefined;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

