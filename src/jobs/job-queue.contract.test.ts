import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDb } from '../../test/support/test-db.js';
import { createBullmqQueue, purgeBullmqPrefix } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobFailure, JobQueue, QueueOptions } from './job-queue.js';
import { jobRetrySubscriber } from './job-retry-subscriber.js';
import { listFailedJobs } from './list-failed-jobs.js';
import { createOutboxDispatcher } from './outbox-dispatcher.js';
import { recordFailedJob } from './record-failed-job.js';
import { retryFailedJob } from './retry-failed-job.js';

const REDIS_URL = process.env.TEST_REDIS_URL;

interface Impl {
  name: string;
  make: (options: QueueOptions) => { queue: JobQueue; cleanup: () => Promise<void> };
}

const impls: Impl[] = [
  { name: 'in-process', make: (options) => ({ queue: createInProcessQueue(options), cleanup: async () => undefined }) },
];
if (REDIS_URL) {
  impls.push({
    name: 'bullmq',
    make: (options) => {
      const prefix = `oo-test-${randomBytes(4).toString('hex')}`;
      return {
        queue: createBullmqQueue(REDIS_URL, { ...options, prefix }),
        cleanup: () => purgeBullmqPrefix(REDIS_URL, prefix),
      };
    },
  });
}

// The contract both queues meet; BullMQ runs when TEST_REDIS_URL is set (CI sets it).
for (const impl of impls) {
  describe(`JobQueue contract [${impl.name}]`, () => {
    let current: { queue: JobQueue; cleanup: () => Promise<void> } | undefined;
    const open = (options: QueueOptions = {}) => {
      current = impl.make(options);
      return current.queue;
    };
    const t = useTestDb();
    /** Failures are reported after the job settles (BullMQ asks Redis first): wait for them. */
    const failuresOf = async (failures: JobFailure[], n: number) => {
      for (let i = 0; i < 200 && failures.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      return failures;
    };
    afterEach(async () => {
      await current?.queue.close();
      await current?.cleanup();
      current = undefined;
    });

    it('runs every enqueued job once with its payload', async () => {
      const queue = open();
      const seen: number[] = [];
      queue.register<{ n: number }>('work', async ({ n }) => {
        seen.push(n);
      });
      await queue.start();
      for (let n = 0; n < 10; n++) await queue.enqueue('work', { n });
      await queue.drain();
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('ignores a second job with the same id', async () => {
      const queue = open();
      let runs = 0;
      queue.register('dedup', async () => {
        runs++;
      });
      await queue.start();
      const first = await queue.enqueue('dedup', {}, { jobId: 'evt-1' });
      const second = await queue.enqueue('dedup', {}, { jobId: 'evt-1' });
      await queue.drain();
      expect(first.duplicate).toBe(false);
      expect(second.duplicate).toBe(true);
      expect(runs).toBe(1);
    });

    it('retries a failing job up to its attempts', async () => {
      const queue = open();
      const attempts: number[] = [];
      queue.register('flaky', async (_p, meta) => {
        attempts.push(meta.attempt);
        if (meta.attempt < 3) throw new Error('transient');
      });
      await queue.start();
      await queue.enqueue('flaky', {}, { attempts: 3 });
      await queue.drain();
      expect(attempts).toEqual([1, 2, 3]);
    });

    it.each([
      ['the queue\'s', { backoffMs: 150 }, {}],
      ['the job\'s own rather than the queue\'s', { backoffMs: 10 }, { backoffMs: 150 }],
    ])('waits longer before each retry (exponential backoff, %s)', async (_label, queueOptions, jobOptions) => {
      const queue = open(queueOptions);
      const at: number[] = [];
      queue.register('backoff', async () => {
        at.push(Date.now());
        if (at.length < 3) throw new Error('transient');
      });
      await queue.start();
      await queue.enqueue('backoff', {}, { attempts: 3, ...jobOptions });
      await queue.drain();
      expect(at).toHaveLength(3);
      // Lower bounds only: a busy machine can make a retry later, never earlier.
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(140);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(290);
    });

    it('reports a job that failed its last attempt once, with its payload and error, and not one that recovered', async () => {
      const failures: JobFailure[] = [];
      const queue = open({ backoffMs: 20, onFailed: (f) => void failures.push(f) });
      queue.register<{ n: number }>('doomed', async ({ n }, meta) => {
        if (n === 1 || meta.attempt < 2) throw new Error(`no luck for ${n}`);
      });
      await queue.start();
      await queue.enqueue('doomed', { n: 1 }, { jobId: 'doomed-1', attempts: 2 });
      await queue.enqueue('doomed', { n: 2 }, { jobId: 'doomed-2', attempts: 2 });
      await queue.drain();
      expect(await failuresOf(failures, 1)).toEqual([
        { queue: 'doomed', jobId: 'doomed-1', payload: { n: 1 }, attempts: 2, error: 'no luck for 1' },
      ]);
    });

    it('runs a job retried from the dead-letter list once more, once however often the retry is delivered', async () => {
      const failures: JobFailure[] = [];
      const queue = open({ backoffMs: 20, onFailed: (f) => void failures.push(f) });
      let fixed = false;
      const runs: number[] = [];
      queue.register<{ n: number }>(`retryable-${impl.name}`, async ({ n }) => {
        runs.push(n);
        if (!fixed) throw new Error('broken');
      });
      const retry = jobRetrySubscriber(queue);
      const dispatcher = createOutboxDispatcher(t.db, { subscribers: [retry] });
      await queue.start();
      await queue.enqueue(`retryable-${impl.name}`, { n: 7 }, { jobId: 'job-7', attempts: 2 });
      await queue.drain();
      const [failure] = await failuresOf(failures, 1);
      await recordFailedJob(t.db, failure!);
      await recordFailedJob(t.db, failure!);
      const { items } = await listFailedJobs(t.db, { queue: `retryable-${impl.name}` });
      expect(items).toHaveLength(1);
      expect(runs).toEqual([7, 7]);

      fixed = true;
      await retryFailedJob(t.db, items[0]!.id, { kind: 'person', id: 'ops@example.com' });
      await expect(retryFailedJob(t.db, items[0]!.id, { kind: 'person', id: 'ops@example.com' })).rejects.toThrow(/already retried/);
      while ((await dispatcher.runDue()) > 0);
      // A worker that died after enqueueing delivers the retry again: still one run.
      const { rows } = await t.db.query<{ id: number; payload: Record<string, unknown> }>(
        `SELECT id::int AS id, payload FROM outbox WHERE topic = $1 ORDER BY id DESC LIMIT 1`,
        [retry.topic],
      );
      await retry.handle({ id: rows[0]!.id, topic: retry.topic, payload: rows[0]!.payload });
      await queue.drain();
      expect(runs).toEqual([7, 7, 7]);
      expect(await failuresOf(failures, 2)).toHaveLength(1);
    });

    it('runs a delayed job after jobs enqueued later without a delay', async () => {
      const queue = open();
      const order: string[] = [];
      queue.register<{ name: string }>('later', async ({ name }) => {
        order.push(name);
      });
      await queue.start();
      await queue.enqueue('later', { name: 'delayed' }, { delayMs: 1000 });
      await queue.enqueue('later', { name: 'now' });
      await queue.drain();
      expect(order).toEqual(['now', 'delayed']);
    });

    it('takes job ids with colons and deduplicates on them', async () => {
      const queue = open();
      let runs = 0;
      queue.register('colons', async () => {
        runs++;
      });
      await queue.start();
      const first = await queue.enqueue('colons', {}, { jobId: 'decision:42:U123:approve' });
      const second = await queue.enqueue('colons', {}, { jobId: 'decision:42:U123:approve' });
      await queue.drain();
      expect([first.duplicate, second.duplicate]).toEqual([false, true]);
      expect(runs).toBe(1);
    });

    it('lets a running job finish on close, and starts no job after it', async () => {
      const queue = open();
      const finished: number[] = [];
      let entered!: () => void;
      const started = new Promise<void>((r) => (entered = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      queue.register<{ n: number }>('slow', async ({ n }) => {
        if (n === 1) {
          entered();
          await gate;
        }
        finished.push(n);
      }, { concurrency: 1 });
      await queue.start();
      await queue.enqueue('slow', { n: 1 }, { jobId: 'slow-1' });
      await started;
      await queue.enqueue('slow', { n: 2 }, { jobId: 'slow-2' });
      let closed = false;
      const closing = queue.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(closed).toBe(false);
      release();
      await closing;
      expect(finished).toEqual([1]);
      current = undefined;
    });

    it('refuses a queue with no handler', async () => {
      const queue = open();
      await queue.start();
      await expect(queue.enqueue('nobody', {})).rejects.toThrow(/no handler/);
    });
  });
}
