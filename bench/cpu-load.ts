import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Keeps `processes` cores busy with spinning child processes until stopped, so a benchmark's
 * "loaded" figures come from the same load for every configuration it compares, not from
 * whatever else happened to run on the machine.
 */
export function startCpuLoad(processes: number): { stop: () => Promise<void> } {
  const children: ChildProcess[] = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  return {
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
