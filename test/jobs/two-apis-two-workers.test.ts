import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/cli/commands/worker.js';
import { purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { startApp, type AppExtension, type RunningApp } from '../../src/server/start-app.js';
import { createScratchDatabase } from '../support/scratch-postgres-database.js';
import { testAppConfig } from '../support/test-app-config.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const JOBS = 40;
const TICK_MS = 250;

/**
 * Two API and two worker instances on one PostgreSQL and one Redis, as `orderops serve` with
 * RUN_WORKERS=false and `orderops worker` run them: jobs enqueued through either API run once, on
 * the workers, spread over both; a periodic task registered by all four runs once per period.
 */
describe('two APIs and two workers on one database and queue', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it.skipIf(!POSTGRES_URL || !REDIS_URL)('share the jobs, run each once, and run a scheduled task once per period', async () => {
    const scratch = await createScratchDatabase(POSTGRES_URL!, 'orderops_four');
    cleanups.push(() => scratch.drop());
    const prefix = `oo-four-${randomBytes(4).toString('hex')}`;
    cleanups.push(() => purgeBullmqPrefix(REDIS_URL!, prefix));
    const env = { DATABASE_URL: scratch.url, REDIS_URL: REDIS_URL!, QUEUE_PREFIX: prefix };

    const part = (name: string): AppExtension => async (ctx) => {
      await ctx.db.query('CREATE TABLE IF NOT EXISTS test_runs (what text NOT NULL, who text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())');
      ctx.queue.register<{ n: number }>('test-four', async ({ n }) => {
        await ctx.db.query('INSERT INTO test_runs (what, who) VALUES ($1, $2)', [`job ${n}`, name]);
        // Long enough that one worker cannot drain the queue before the other takes some.
        await new Promise((r) => setTimeout(r, 50));
      }, { concurrency: 1 });
      ctx.every('test tick', TICK_MS, async () => void (await ctx.db.query('INSERT INTO test_runs (what, who) VALUES ($1, $2)', ['tick', name])));
    };
    const apis: RunningApp[] = [];
    for (const name of ['api-1', 'api-2']) {
      const api = await startApp(testAppConfig(name, { ...env, RUN_WORKERS: 'false' }), { extensions: [part(name)], log: () => undefined });
      cleanups.push(() => api.stop());
      apis.push(api);
    }
    for (const name of ['worker-1', 'worker-2']) {
      const worker = await startWorker(testAppConfig(name, env), [part(name)]);
      cleanups.push(() => worker.stop());
    }
    for (let n = 0; n < JOBS; n++) await apis[n % 2]!.queue.enqueue('test-four', { n }, { jobId: `four-${n}` });
    const jobsRun = async () =>
      (await apis[0]!.db.query<{ what: string; who: string }>(`SELECT what, who FROM test_runs WHERE what LIKE 'job %'`)).rows;
    for (let i = 0; i < 400 && (await jobsRun()).length < JOBS; i++) await new Promise((r) => setTimeout(r, 50));
    // Past the last job, so a second run of any would show.
    await new Promise((r) => setTimeout(r, 4 * TICK_MS));

    const jobs = await jobsRun();
    expect(jobs.map((j) => j.what).sort()).toEqual(Array.from({ length: JOBS }, (_, n) => `job ${n}`).sort());
    expect(new Set(jobs.map((j) => j.who))).toEqual(new Set(['worker-1', 'worker-2']));

    const ticks = (await apis[0]!.db.query<{ who: string; at: Date }>(`SELECT who, at FROM test_runs WHERE what = 'tick' ORDER BY at`)).rows;
    expect(ticks.length).toBeGreaterThan(3);
    // Four processes tick every period; the claim lets one of them run it. Twice in one period
    // would put two runs closer together than most of a period.
    const gaps = ticks.slice(1).map((t, i) => t.at.getTime() - ticks[i]!.at.getTime());
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(TICK_MS * 0.5);
  }, 120_000);
});
