import { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { DomainError } from '../domain/domain-error.js';
import { CliError } from './cli-error.js';
import { registerAnomalyCommand } from './commands/anomaly.js';
import { registerApprovalsCommand } from './commands/approvals.js';
import { registerChatCommand } from './commands/chat.js';
import { registerDbCommand } from './commands/db.js';
import { registerEmailCommand } from './commands/email.js';
import { registerFulfilCommand } from './commands/fulfil.js';
import { registerImportCommand } from './commands/import.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerServeCommand } from './commands/serve.js';
import { registerRouteCommand } from './commands/route.js';
import { registerTauRetailCommand } from './commands/tau-retail.js';
import { registerInventoryCommand } from './commands/inventory.js';
import { registerOrdersCommand } from './commands/orders.js';
import { registerNotifyCommand } from './commands/notify.js';
import { registerUsersCommand } from './commands/users.js';
import { registerWorkerCommand } from './commands/worker.js';

const program = new Command('orderops')
  .description('Order operations: one ledger, real-time stock, an agent in Slack and email.')
  .showHelpAfterError();

registerDbCommand(program);
registerSeedCommand(program);
registerServeCommand(program);
registerWorkerCommand(program);
registerAnomalyCommand(program);
registerTauRetailCommand(program);
registerChatCommand(program);
registerEmailCommand(program);
registerInventoryCommand(program);
registerRouteCommand(program);
registerFulfilCommand(program);
registerImportCommand(program);
registerApprovalsCommand(program);
registerOrdersCommand(program);
registerNotifyCommand(program);
registerUsersCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DomainError || err instanceof CliError) {
    console.error(`orderops: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof DataDirLockedError) {
    // `orderops serve` beside a running one: refused like a second `npm start`.
    console.error(`orderops: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
