import type { Command } from 'commander';
import { DEMO_BASE_DATE } from '../../demo/generate-demo-data.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Load data into an empty database')
    .option('--demo', 'the deterministic demo store: 60 products, 300 customers, 3000 orders in every status')
    .option('--seed <n>', 'random seed for the demo generator', '42')
    .option('--as-of <date>', `end of the 90 days of history: "now" or an ISO date (${DEMO_BASE_DATE.toISOString()} reproduces the test data)`, 'now')
    .action(async (opts: { demo?: boolean; seed: string; asOf: string }) => {
      if (!opts.demo) throw new CliError('say what to seed: --demo');
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new CliError(`--seed must be a non-negative integer, got "${opts.seed}"`);
      const baseDate = opts.asOf === 'now' ? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000) : new Date(opts.asOf);
      if (Number.isNaN(baseDate.getTime())) throw new CliError(`--as-of must be "now" or an ISO date, got "${opts.asOf}"`);
      await withDb(async (db) => {
        const s = await seedDemo(db, { seed, baseDate });
        console.log(
          `demo data loaded in ${(s.ms / 1000).toFixed(1)} s (seed ${s.seed}, as of ${s.baseDate}): ` +
            `${s.products} products, ${s.variants} variants, ${s.locations} locations, ${s.customers} customers, ${s.orders} orders`,
        );
        console.log(`orders by status: ${Object.entries(s.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      });
    });
}
