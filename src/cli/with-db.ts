import { loadConfig, type Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openDb } from '../db/open-db.js';

/** Opens the configured database, migrated, runs `fn`, and always closes it. */
export async function withDb<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
