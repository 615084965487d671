import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exportTauRetail } from '../../connectors/tau-retail/export-tau-retail.js';
import { importTauRetailData } from '../../connectors/tau-retail/import-tau-retail.js';
import { readTauRetailDir } from '../../connectors/tau-retail/read-tau-retail-dir.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

export function registerTauRetailCommand(program: Command): void {
  const tau = program.command('tau-retail').description('Import and export tau-retail benchmark data (users.json, orders.json, products.json)');
  tau
    .command('import <dir>')
    .description('Load a tau-retail data directory (or a tau2 db.json directory) into the database, keeping every id')
    .action(async (dir: string) => {
      // Read and validate the files before touching the database, so bad input writes nothing.
      const data = readTauRetailDir(resolve(dir));
      const counts = await withDb((db) => importTauRetailData(db, data));
      console.log(
        `imported ${counts.customers} customers, ${counts.paymentMethods} payment methods, ${counts.products} products, ` +
          `${counts.variants} variants, ${counts.orders} orders (${counts.orderLines} lines, ${counts.payments} payments)`,
      );
    });
  tau
    .command('export <dir>')
    .description('Write users.json, orders.json and products.json for the tau-retail channel into an existing directory')
    .action(async (dir: string) => {
      const target = resolve(dir);
      if (!existsSync(target) || !statSync(target).isDirectory()) throw new CliError(`export directory not found: ${target}`);
      const counts = await withDb((db) => exportTauRetail(db, target));
      console.log(`exported ${counts.users} users, ${counts.orders} orders, ${counts.products} products to ${target}`);
    });
}
