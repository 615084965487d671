import { loadConfig, type Config } from '../config/config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openSharedDb } from '../db/open-shared-db.js';
import { CliError } from './cli-error.js';

/**
 * Opens the configured database for a CLI command: through the running server when it owns
 * DATA_DIR, otherwise PGlite itself (holding DATA_DIR until closed). Refuses, naming the pid,
 * when another process holds DATA_DIR and cannot be reached.
 */
export async function openCliDb(config: Config): Promise<Db> {
  try {
    return await openSharedDb(config, { command: commandLabel(), joinOwner: true });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message);
    throw err;
  }
}

/** Opens the configured database, migrated, runs `fn`, and always closes it. */
export async function withDb<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openCliDb(config);
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** `orderops chat`, `orderops email`: the subcommand only, since later arguments may be private text. */
function commandLabel(): string {
  const sub = process.argv[2];
  return sub && !sub.startsWith('-') ? `orderops ${sub}` : 'orderops';
}
