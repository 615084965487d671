import type { RunningApp } from './start-app.js';

/** Stops the app cleanly on SIGINT/SIGTERM (a second signal exits at once). */
export function runUntilSignal(running: RunningApp): void {
  const logger = running.logger.child({ component: 'orderops' });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, `${signal} received, shutting down`);
    running.stop().then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, `shutdown failed: ${(err as Error).message}`);
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
