import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Db } from './db.js';
import { createPgliteDb } from './pglite-db.js';
import { createPostgresDb } from './postgres-db.js';

/** PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR/pglite. */
export async function openDb(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'> & Partial<Pick<Config, 'DATABASE_PREPARED_STATEMENTS'>>): Promise<Db> {
  if (config.DATABASE_URL) return createPostgresDb(config.DATABASE_URL, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS ?? true });
  return createPgliteDb({ dataDir: join(config.DATA_DIR, 'pglite') });
}
