import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '../..');

/** One `orderops serve` or `orderops worker` process, as an operator runs it. */
export class OrderopsProcess {
  child: ChildProcess | undefined;
  private output = '';

  constructor(readonly name: string, readonly command: 'serve' | 'worker', private readonly env: Record<string, string>) {}

  /** Starts it; resolves once it says it listens (serve) or runs its workers (worker). */
  async start(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', this.command], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const ready = this.command === 'serve' ? 'HTTP API listening on' : 'worker running';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in 90 s:\n${this.output}`)), 90_000);
      const onData = (d: Buffer) => {
        this.output = (this.output + d.toString()).slice(-20_000);
        if (this.output.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready:\n${this.output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** The last lines it wrote, for a failure report. */
  tail(): string {
    return this.output.split('\n').slice(-15).join('\n');
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
