import { ConfigError, loadConfig, type Config } from './config/config.js';
import { stderrLogger } from './config/logger.js';
import { DataDirLockedError } from './db/data-dir-lock.js';

// `npm start`. The configuration is checked before the rest of the app is even loaded, so a
// bad setting is reported by name (exit 1) and nothing starts. Every line, a refusal included,
// is a JSON log line: a refusal to start on stderr; once the service runs, on stdout.
const exitWith = (message: string, fields: Record<string, unknown> = {}): never => {
  stderrLogger().child({ component: 'orderops' }).fatal(fields, message);
  process.exit(1);
};

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) exitWith(err.message);
  throw err;
}

try {
  const [{ APP_EXTENSIONS }, { runUntilSignal }, { startApp }] = await Promise.all([
    import('./server/app-extensions.js'),
    import('./server/run-until-signal.js'),
    import('./server/start-app.js'),
  ]);
  runUntilSignal(await startApp(config, { extensions: APP_EXTENSIONS }));
} catch (err) {
  if (err instanceof DataDirLockedError) exitWith(err.message);
  exitWith(`failed to start: ${(err as Error).message}`, { err });
}
