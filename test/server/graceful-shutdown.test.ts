import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { startApp, type AppExtension } from '../../src/server/start-app.js';
import { createScratchDatabase } from '../support/scratch-postgres-database.js';
import { testAppConfig } from '../support/test-app-config.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;

/** A promise and the function that settles it, to hold a request or a job at a known point. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A GET on a new connection: its status, or the connection error when nothing listens any more. */
function getOnNewConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

const setups = [
  { name: 'embedded (PGlite, in-process jobs)', env: () => Promise.resolve({ env: {}, cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL and BullMQ',
    skip: !POSTGRES_URL || !REDIS_URL,
    env: async () => {
      const scratch = await createScratchDatabase(POSTGRES_URL!, 'orderops_shutdown');
      const prefix = `oo-shutdown-${randomBytes(4).toString('hex')}`;
      return {
        env: { DATABASE_URL: scratch.url, REDIS_URL: REDIS_URL!, QUEUE_PREFIX: prefix },
        cleanup: async () => {
          await purgeBullmqPrefix(REDIS_URL!, prefix);
          await scratch.drop();
        },
      };
    },
  },
];

/**
 * SIGTERM (runUntilSignal → stop()) must not cut work in half: the request being answered gets
 * its answer, the job being run finishes and writes what it writes, and only then do the queue
 * and the database close. New connections are refused from the moment the stop begins.
 */
describe('graceful shutdown', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  });

  for (const setup of setups) {
    it.skipIf(setup.skip ?? false)(`drains the request and the job in flight before it stops [${setup.name}]`, async () => {
      const { env, cleanup } = await setup.env();
      cleanups.push(cleanup);
      const requestIn = latch();
      const requestGo = latch();
      const jobIn = latch();
      const jobGo = latch();
      const writes: string[] = [];
      const slowParts: AppExtension = async (ctx) => {
        await ctx.db.query('CREATE TABLE IF NOT EXISTS shutdown_writes (what text NOT NULL)');
        const write = async (what: string) => {
          await ctx.db.query('INSERT INTO shutdown_writes (what) VALUES ($1)', [what]);
          writes.push(what);
        };
        ctx.app.get('/test/slow', async () => {
          requestIn.open();
          await requestGo.promise;
          await write('request');
          return { done: true };
        });
        ctx.queue.register('test-slow', async () => {
          jobIn.open();
          await jobGo.promise;
          await write('job');
        }, { concurrency: 1 });
      };
      const running = await startApp(testAppConfig('shutdown', env), { extensions: [slowParts], log: () => undefined });
      cleanups.push(() => running.stop());

      const answer = fetch(`${running.url}/test/slow`).then(async (res) => ({ status: res.status, body: await res.json() }));
      await running.queue.enqueue('test-slow', {}, { jobId: 'slow-1' });
      await Promise.all([requestIn.promise, jobIn.promise]);

      let stopped = false;
      const stopping = running.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(stopped).toBe(false);
      // Closing: a new connection is refused or told to go elsewhere, never served by this process.
      const late = await getOnNewConnection(`${running.url}/healthz`);
      expect(late === 503 || late === 'ECONNREFUSED' || late === 'ECONNRESET').toBe(true);

      requestGo.open();
      expect(await answer).toEqual({ status: 200, body: { done: true } });
      await new Promise((r) => setTimeout(r, 100));
      expect(stopped).toBe(false);
      jobGo.open();
      await stopping;
      expect(writes.sort()).toEqual(['job', 'request']);
    }, 60_000);
  }
});
