import type { RunningApp } from './start-app.js';

/** Stops the app cleanly on SIGINT/SIGTERM (a second signal exits at once). */
export function runUntilSignal(running: RunningApp, log: (line: string) => void = (l) => console.log(`orderops: ${l}`)): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received, shutting down`);
    running.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`orderops: shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
