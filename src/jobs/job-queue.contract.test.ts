import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqQueue, purgeBullmqPrefix } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

const REDIS_URL = process.env.TEST_REDIS_URL;

interface Impl {
  name: string;
  make: () => { queue: JobQueue; cleanup: () => Promise<void> };
}

const impls: Impl[] = [
  { name: 'in-process', make: () => ({ queue: createInProcessQueue(), cleanup: async () => undefined }) },
];
if (REDIS_URL) {
  impls.push({
    name: 'bullmq',
    make: () => {
      const prefix = `oo-test-${randomBytes(4).toString('hex')}`;
      return {
        queue: createBullmqQueue(REDIS_URL, { prefix }),
        cleanup: () => purgeBullmqPrefix(REDIS_URL, prefix),
      };
    },
  });
}

// The contract both queues meet; BullMQ runs when TEST_REDIS_URL is set (CI sets it).
for (const impl of impls) {
  describe(`JobQueue contract [${impl.name}]`, () => {
    let current: { queue: JobQueue; cleanup: () => Promise<void> } | undefined;
    const open = () => {
      current = impl.make();
      return current.queue;
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

    it('refuses a queue with no handler', async () => {
      const queue = open();
      await queue.start();
      await expect(queue.enqueue('nobody', {})).rejects.toThrow(/no handler/);
    });
  });
}
