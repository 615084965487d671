import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { migrate } from '../../db/migrate.js';
import { openCliDb } from '../with-db.js';

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending SQL migrations to the configured database')
    .action(async () => {
      const config = loadConfig();
      const handle = await openCliDb(config);
      try {
        const applied = await migrate(handle);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await handle.close();
      }
    });
}
