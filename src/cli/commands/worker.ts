import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config.js';
import type { AppExtension, RunningApp } from '../../server/start-app.js';
import { CliError } from '../cli-error.js';

/**
 * Starts a worker: the job handlers, outbox dispatch and schedules of every extension, without the
 * HTTP API, so API and worker processes scale apart. Both must share a PostgreSQL and a Redis.
 */
export async function startWorker(config: Config, extensions?: AppExtension[]): Promise<RunningApp> {
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new CliError('orderops worker needs DATABASE_URL and REDIS_URL: the API process and the workers share the database and the queue');
  }
  // Loaded here, not at the top, so other commands do not pay for (or trip over) the whole app.
  const [{ APP_EXTENSIONS }, { startApp }] = await Promise.all([
    import('../../server/app-extensions.js'),
    import('../../server/start-app.js'),
  ]);
  return startApp(config, { extensions: extensions ?? APP_EXTENSIONS, role: 'worker' });
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run the job handlers, outbox dispatch and schedules without the HTTP API (needs DATABASE_URL and REDIS_URL)')
    .action(async () => {
      const { runUntilSignal } = await import('../../server/run-until-signal.js');
      runUntilSignal(await startWorker(loadConfig()));
    });
}
