import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL of the suite's own in `dir` on `port`, so it can be stopped and started without
 * touching anyone else's. PostgreSQL refuses to run as root: as root, every command runs as the
 * `postgres` OS user, who owns the data directory.
 */
export class OwnPostgres {
  private readonly data: string;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly dir: string, readonly port: number) {
    this.data = join(dir, 'pgdata');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  init(): void {
    mkdirSync(this.data, { recursive: true });
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
      chownSync(this.data, uid, gid);
    }
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    this.run('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'postgres.log'), '-w', '-t', '60', 'start']);
  }

  /** A fast shutdown: sessions are ended (57P01) and new connections refused until start(). */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stops it if it runs; for the end of the suite, whatever state it was left in. */
  stopQuietly(): void {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running.
    }
  }

  private run(tool: string, args: string[]): void {
    const [cmd, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]] : [join(BIN, tool), args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dir });
  }
}
