import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the HTTP API, job runner and enabled channels (same as npm start; RUN_WORKERS=false leaves the jobs to `orderops worker`)')
    .action(async () => {
      const config = loadConfig();
      // Loaded here, not at the top, so other commands do not pay for (or trip over) the whole app.
      const [{ APP_EXTENSIONS }, { runUntilSignal }, { startApp }] = await Promise.all([
        import('../../server/app-extensions.js'),
        import('../../server/run-until-signal.js'),
        import('../../server/start-app.js'),
      ]);
      runUntilSignal(await startApp(config, { extensions: APP_EXTENSIONS }));
    });
}
