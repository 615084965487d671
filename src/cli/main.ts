import { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { DomainError } from '../domain/domain-error.js';
import { CliError } from './cli-error.js';
import { registerDbCommand } from './commands/db.js';

const program = new Command('orderops')
  .description('Order operations: one ledger, real-time stock, an agent in Slack and email.')
  .showHelpAfterError();

registerDbCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DomainError || err instanceof CliError) {
    console.error(`orderops: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
