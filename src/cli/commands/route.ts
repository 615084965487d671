import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { routingSettingsFromConfig } from '../../config/routing-settings-from-config.js';
import { systemActor } from '../../domain/actor.js';
import { formatRoutingDecisions } from '../../domain/routing/format-routing-decision.js';
import { listRoutingDecisions } from '../../domain/routing/routing-decision-repository.js';
import { loadRoutingRulesFile, parseRoutingRulesYaml } from '../../domain/routing/routing-rules-file.js';
import { formatRoutingSimulation, simulateRouting } from '../../domain/routing/simulate-routing.js';
import { normaliseOrderId } from '../../server/routes/order-routes.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

function readDays(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3650) throw new CliError(`--since: "${value}" must be a number of days between 1 and 3650`);
  return n;
}

export function registerRouteCommand(program: Command): void {
  const route = program.command('route').description('Order routing: explain decisions, simulate rules, load the rules file');

  route
    .command('explain')
    .description("Print an order's latest routing decision in full and its previous ones")
    .argument('<order>', 'order id, e.g. #W1234567 or W1234567')
    .action(async (order: string) => {
      await withDb(async (db) => {
        const id = normaliseOrderId(order);
        console.log(formatRoutingDecisions(id, await listRoutingDecisions(db, id)));
      });
    });

  route
    .command('simulate')
    .description('Replay recent orders under a rules file against current stock and print what would change (writes nothing)')
    .requiredOption('--rules <file>', 'YAML rules file to try')
    .option('--since <days>', 'orders placed in the last N days', '30')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { rules: string; since: string; json?: boolean }) => {
      if (!existsSync(opts.rules)) throw new CliError(`--rules: ${opts.rules} does not exist`);
      const sinceDays = readDays(opts.since);
      const rules = parseRoutingRulesYaml(readFileSync(opts.rules, 'utf8'), opts.rules).map((r) => ({ ...r, source: 'file' as const }));
      await withDb(async (db, config) => {
        const sim = await simulateRouting(db, { rules, sinceDays, now: new Date(), settings: routingSettingsFromConfig(config) });
        console.log(opts.json ? JSON.stringify(sim, null, 2) : formatRoutingSimulation(sim));
      });
    });

  route
    .command('load-rules')
    .description('Load a rules file into routing_rules (replaces the rules an earlier load wrote; API rules stay)')
    .argument('[file]', 'YAML rules file; ROUTING_RULES_FILE when omitted')
    .action(async (file: string | undefined) => {
      await withDb(async (db, config) => {
        const path = file ?? config.ROUTING_RULES_FILE;
        if (!existsSync(path)) throw new CliError(`file: ${path} does not exist`);
        const n = await loadRoutingRulesFile(db, path, systemActor('orderops route load-rules'));
        console.log(`loaded ${n} routing rules from ${path}`);
      });
    });
}
