import { createHash, randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/database-unavailable.js';
import type { EnqueueOptions, JobHandler, JobQueue, QueueOptions } from './job-queue.js';

const DEDUP_TTL_SECONDS = 24 * 60 * 60;
const DRAIN_POLL_MS = 25;

export interface BullmqQueueOptions extends QueueOptions {
  /** Keeps separate installs (and test runs) apart on one Redis (QUEUE_PREFIX). */
  prefix?: string;
  /**
   * How long a job's lock lasts without renewal; a job whose worker was killed goes back to
   * waiting once it lapses (BullMQ's lockDuration and stalled-check interval).
   */
  leaseMs?: number;
}

/**
 * BullMQ on Redis. Deduplication by jobId is a Redis SET NX with a day's expiry, so a duplicate
 * stays a duplicate after the first job has been removed from the queue.
 */
export function createBullmqQueue(redisUrl: string, options: BullmqQueueOptions = {}): JobQueue {
  const prefix = options.prefix ?? 'orderops';
  const backoffMs = options.backoffMs ?? 200;
  const leaseMs = options.leaseMs ?? 30_000;
  const connection: ConnectionOptions = { url: redisUrl, maxRetriesPerRequest: null };
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Without listeners, a Redis outage emits 'error' events that would end the process.
  redis.on('error', () => undefined);
  const handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number }>();
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];

  const queueFor = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };

  return {
    kind: 'bullmq',
    register(queue, handler, opts) {
      handlers.set(queue, { handler: handler as JobHandler<unknown>, concurrency: opts?.concurrency ?? 4 });
      queueFor(queue);
    },
    async enqueue(queue, payload, opts: EnqueueOptions = {}) {
      if (!handlers.has(queue)) throw new Error(`no handler registered for queue ${queue}`);
      const jobId = opts.jobId ?? randomUUID();
      if (opts.jobId) {
        const fresh = await redis.set(`${prefix}:dedup:${queue}:${jobId}`, '1', 'EX', DEDUP_TTL_SECONDS, 'NX');
        if (fresh === null) return { jobId, duplicate: true };
      }
      const dedupKey = `${prefix}:dedup:${queue}:${jobId}`;
      await queueFor(queue).add(queue, payload, {
        jobId: bullmqJobId(jobId),
        delay: opts.delayMs,
        attempts: opts.attempts ?? 3,
        backoff: { type: 'exponential', delay: opts.backoffMs ?? backoffMs },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      }).catch(async (err: unknown) => {
        // The job was not accepted, so the id must not count as seen: a retry has to get through.
        if (opts.jobId) await redis.del(dedupKey).catch(() => undefined);
        throw err;
      });
      return { jobId, duplicate: false };
    },
    async runNow(queue, payload, opts) {
      const registered = handlers.get(queue);
      if (!registered) throw new Error(`no handler registered for queue ${queue}`);
      await registered.handler(payload, { jobId: opts.jobId, attempt: 1 });
    },
    async start() {
      for (const [name, { handler, concurrency }] of handlers) {
        const worker = new Worker(
          name,
          async (job, token) => {
            try {
              return await handler(job.data, { jobId: String(job.id), attempt: job.attemptsMade + 1 });
            } catch (err) {
              if (!isDatabaseUnavailable(err) || !token) throw err;
              // The database is away (a restart, a failover): waiting for it costs no attempt, or a
              // short outage would use up a job's retries in a second and leave it failed in Redis
              // alone, as the dead-letter list is in that same database.
              await job.moveToDelayed(Date.now() + DATABASE_RETRY_AFTER_SECONDS * 1000, token);
              throw new DelayedError();
            }
          },
          // A killed worker's stalled job is given back to others rather than failed.
          { connection, prefix, concurrency, lockDuration: leaseMs, stalledInterval: leaseMs, maxStalledCount: 5 },
        );
        worker.on('error', () => undefined);
        worker.on('failed', (job, err) => {
          if (!job) return;
          // Asked of Redis rather than counted here: a job failed by the stalled check has attempts left.
          void job.getState().then(
            (state) => {
              if (state !== 'failed') return;
              options.onFailed?.({ queue: name, jobId: String(job.id), payload: job.data, attempts: job.attemptsMade, error: err.message });
            },
            () => undefined,
          );
        });
        workers.push(worker);
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async drain() {
      for (;;) {
        let busy = 0;
        for (const q of queues.values()) {
          const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          busy += Object.values(counts).reduce((a, b) => a + b, 0);
        }
        if (busy === 0) return;
        await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await redis.quit();
    },
  };
}

/**
 * BullMQ refuses custom ids with a colon (its key separator); callers build ids such as
 * `decision:<approval>:<user>`. The colon-free form stays readable, and the hash of the original
 * keeps two ids that differ only there apart.
 */
function bullmqJobId(jobId: string): string {
  if (!jobId.includes(':')) return jobId;
  return `${jobId.replace(/:/g, '.')}-${createHash('sha256').update(jobId).digest('hex').slice(0, 10)}`;
}

/** Removes every key of a prefix (test clean-up). */
export async function purgeBullmqPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
