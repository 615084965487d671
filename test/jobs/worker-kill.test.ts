import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { writeOutbox } from '../../src/domain/events/write-outbox.js';
import { createBullmqQueue, purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { withDatabase } from '../support/global-setup.js';
import { IdempotentEffectServer } from '../support/idempotent-effect-server.js';

const repoRoot = join(import.meta.dirname, '../..');
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const TOPIC = 'test.effect';
const QUEUE = 'test-effect';

/** Starts the effect worker as its own process; `ready` resolves once it says so. */
function spawnProcess(env: Record<string, string>): { child: ChildProcess; ready: Promise<ChildProcess> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/support/effect-worker.ts'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', PORT: '0', SMTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('effect-worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${stderr}`)));
  });
  // A worker killed on purpose before it said so is not a failure.
  ready.catch(() => undefined);
  return { child, ready };
}

const startProcess = (env: Record<string, string>) => spawnProcess(env).ready;

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const outboxCounts = async (db: Db) =>
  (
    await db.query<{ done: number; dead: number; handled: number }>(
      `SELECT count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done, count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead,
              (SELECT count(*)::int FROM outbox_handled) AS handled
         FROM outbox WHERE topic = $1`,
      [TOPIC],
    )
  ).rows[0]!;

describe('killing a worker with kill -9', () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  it.skipIf(!POSTGRES_URL || !REDIS_URL)(
    'loses no job and performs no effect twice on PostgreSQL and Redis (outbox events and BullMQ jobs)',
    async () => {
      const effects = await new IdempotentEffectServer().start();
      cleanups.push(() => effects.stop());
      effects.delayMs = 150;

      const name = `orderops_kill_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const databaseUrl = withDatabase(POSTGRES_URL!, name);
      const db = await createPostgresDb(databaseUrl, {
        onClose: async () => {
          const drop = new pg.Client({ connectionString: POSTGRES_URL });
          await drop.connect();
          await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await drop.end();
        },
      });
      cleanups.push(() => db.close());
      await migrate(db);
      const prefix = `oo-kill-${randomBytes(4).toString('hex')}`;
      cleanups.push(() => purgeBullmqPrefix(REDIS_URL!, prefix));

      const N = 12;
      for (let i = 0; i < N; i++) await db.transaction((tx) => writeOutbox(tx, TOPIC, { n: i }));
      // The API side: it enqueues, it never runs a job (no start()).
      const api = createBullmqQueue(REDIS_URL!, { prefix });
      cleanups.push(() => api.close());
      api.register(QUEUE, async () => undefined);
      for (let i = 0; i < N; i++) await api.enqueue(QUEUE, { key: `bull-${i}` }, { jobId: `bull-${i}`, attempts: 3 });
      const bullmq = new Queue(QUEUE, { connection: { url: REDIS_URL! }, prefix });
      cleanups.push(() => bullmq.close());

      const env = { DATABASE_URL: databaseUrl, REDIS_URL: REDIS_URL!, QUEUE_PREFIX: prefix, JOB_LEASE_MS: '1000', EFFECT_URL: effects.url };
      // Killed the moment its fourth request reaches the outside service: those in flight never hear back.
      const { child: first } = spawnProcess(env);
      children.push(first);
      await new Promise<void>((resolve) =>
        effects.onRequest(() => {
          if (effects.requests.length === 4) {
            first.kill('SIGKILL');
            resolve();
          }
        }),
      );
      await exited(first);
      const seenBeforeKill = effects.requests.length;
      expect(first.signalCode).toBe('SIGKILL');

      const second = await startProcess(env);
      children.push(second);
      await until('every outbox event done and every BullMQ job completed', async () => {
        const { done } = await outboxCounts(db);
        const { completed } = await bullmq.getJobCounts('completed');
        return done === N && completed === N;
      });
      expect(await bullmq.getJobCounts('failed', 'waiting', 'active', 'delayed')).toEqual({ failed: 0, waiting: 0, active: 0, delayed: 0 });

      const expected = [...Array(N).keys()].flatMap((i) => [`bull-${i}`]);
      const { rows: outboxIds } = await db.query<{ id: number }>('SELECT id::int AS id FROM outbox WHERE topic = $1', [TOPIC]);
      expected.push(...outboxIds.flatMap((r) => [`outbox-${r.id}`, `outbox-${r.id}-audit`]));
      expect([...effects.effects].sort()).toEqual(expected.sort());
      expect(effects.effects.size).toBe(3 * N);
      // The requests in flight at the kill came again and were recognised by their key.
      expect(effects.duplicates).toBeGreaterThanOrEqual(1);
      expect(seenBeforeKill).toBeGreaterThanOrEqual(4);
      expect(await outboxCounts(db)).toEqual({ done: N, dead: 0, handled: 2 * N });
      expect((await db.query('SELECT 1 FROM failed_jobs')).rows).toEqual([]);
      second.kill('SIGTERM');
      await exited(second);
    },
    180_000,
  );

  it('runs, after a restart, the handlers of events committed before an embedded (PGlite, in-process) service was killed', async () => {
    const effects = await new IdempotentEffectServer().start();
    cleanups.push(() => effects.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'orderops-kill-embedded-'));
    const N = 8;
    {
      const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
      await migrate(db);
      for (let i = 0; i < N; i++) await db.transaction((tx) => writeOutbox(tx, TOPIC, { n: i }));
      await db.close();
    }
    const env = { DATA_DIR: dataDir, EFFECT_ROLE: 'serve', EFFECT_URL: effects.url, DATABASE_URL: '', REDIS_URL: '' };
    // The outside service takes the first requests and never answers: the handlers are mid-call when killed.
    effects.hold();
    const first = await startProcess(env);
    children.push(first);
    await until('the first handler to reach the outside service', () => effects.requests.length >= 1);
    first.kill('SIGKILL');
    await exited(first);
    expect(effects.answered.size).toBe(0);

    effects.dropHeld();
    const second = await startProcess(env);
    children.push(second);
    await until('every event handled', () => effects.answered.size === 2 * N);
    second.kill('SIGTERM');
    await exited(second);

    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    cleanups.push(() => db.close());
    expect(await outboxCounts(db)).toEqual({ done: N, dead: 0, handled: 2 * N });
    expect(effects.effects.size).toBe(2 * N);
  }, 180_000);
});
