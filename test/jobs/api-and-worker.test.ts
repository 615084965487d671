import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/cli/commands/worker.js';
import { ConfigError } from '../../src/config/config.js';
import { writeOutbox } from '../../src/domain/events/write-outbox.js';
import { purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { startApp, type AppExtension, type ProcessRole, type RunningApp } from '../../src/server/start-app.js';
import { createScratchDatabase } from '../support/scratch-postgres-database.js';
import { testAppConfig } from '../support/test-app-config.js';

const repoRoot = join(import.meta.dirname, '../..');
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;

describe('the API and the workers in separate processes', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it.skipIf(!POSTGRES_URL || !REDIS_URL)('the API enqueues and commits events; only the worker runs them', async () => {
    const scratch = await createScratchDatabase(POSTGRES_URL!, 'orderops_split');
    cleanups.push(() => scratch.drop());
    const prefix = `oo-split-${randomBytes(4).toString('hex')}`;
    cleanups.push(() => purgeBullmqPrefix(REDIS_URL!, prefix));
    const env = { DATABASE_URL: scratch.url, REDIS_URL: REDIS_URL!, QUEUE_PREFIX: prefix };

    const ran: { what: string; role: ProcessRole }[] = [];
    const part: AppExtension = async (ctx) => {
      ctx.queue.register<{ n: number }>('test-split', async ({ n }) => void ran.push({ what: `job ${n}`, role: ctx.role }));
      ctx.onOutbox('test.split', async (e) => void ran.push({ what: `event ${String(e.payload.n)}`, role: ctx.role }), 'test.split');
    };
    const api: RunningApp = await startApp(testAppConfig('split-api', { ...env, RUN_WORKERS: 'false' }), { extensions: [part], log: () => undefined });
    cleanups.push(() => api.stop());
    expect(api.outbox).toBeNull();
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

    await api.queue.enqueue('test-split', { n: 1 });
    await api.db.transaction((tx) => writeOutbox(tx, 'test.split', { n: 2 }));
    await new Promise((r) => setTimeout(r, 500));
    expect(ran).toEqual([]);

    const worker = await startWorker(testAppConfig('split-worker', env), [part]);
    cleanups.push(() => worker.stop());
    expect(worker.url).toBe('');
    for (let i = 0; i < 200 && ran.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(ran.sort((a, b) => a.what.localeCompare(b.what))).toEqual([
      { what: 'event 2', role: 'worker' },
      { what: 'job 1', role: 'worker' },
    ]);
  }, 120_000);

  it('refuses an API without workers, or a worker, that could not share its database and queue', async () => {
    expect(() => testAppConfig('split-bad', { RUN_WORKERS: 'false' })).toThrow(ConfigError);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('orderops worker needs DATABASE_URL and REDIS_URL');
  }, 70_000);
});
