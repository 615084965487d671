import { ConfigError, loadConfig, type Config } from './config/config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';

// `npm start`. The configuration is checked before the rest of the app is even loaded, so a
// bad setting is reported by name (exit 1) and nothing starts.
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`orderops: ${err.message}`);
    process.exit(1);
  }
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
  if (err instanceof DataDirLockedError) {
    console.error(`orderops: ${err.message}`);
    process.exit(1);
  }
  console.error(`orderops: failed to start: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
}
