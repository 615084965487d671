import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import { claimScheduledRun } from './claim-scheduled-run.js';

export interface PeriodicTasks {
  /**
   * Runs `task` every `periodMs`, once per period across every process on the database (the one
   * that claims the period runs it). A run still going when the next tick comes is not doubled.
   * `periodMs <= 0` schedules nothing.
   */
  every(name: string, periodMs: number, task: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

/** The periodic tasks of one process, each failure logged, never thrown. */
export function createPeriodicTasks(db: Db, log: (line: string) => void): PeriodicTasks {
  const holder = `process-${process.pid}-${randomUUID().slice(0, 8)}`;
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  return {
    every(name, periodMs, task) {
      if (periodMs <= 0) return;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const run = (async () => {
          if (await claimScheduledRun(db, name, periodMs, holder)) await task();
        })()
          .catch((err: unknown) => log(`${name}: ${(err as Error).message}`))
          .finally(() => {
            busy = false;
            running.delete(run);
          });
        running.add(run);
      }, periodMs);
      timer.unref();
      timers.push(timer);
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      // Graceful shutdown: a run in progress finishes before the database closes.
      await Promise.allSettled([...running]);
    },
  };
}
