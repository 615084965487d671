import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, JobHandler, JobQueue, QueueOptions } from './job-queue.js';

interface PendingJob {
  queue: string;
  jobId: string;
  payload: unknown;
  attempt: number;
  attempts: number;
  backoffMs: number;
}

interface Lane {
  handler: JobHandler<unknown>;
  concurrency: number;
  running: number;
  waiting: PendingJob[];
}

const RETRY_BASE_MS = 50;
// Job ids remembered for deduplication; the oldest are forgotten past this many.
const MAX_REMEMBERED_IDS = 100_000;

/**
 * Runs jobs in this process, with the same handlers and contract as the BullMQ queue, for the
 * embedded default. Jobs do not survive a restart; that is the trade for needing no Redis. What
 * must survive one goes through the outbox, which is durable in the database (outbox-dispatcher).
 */
export function createInProcessQueue(options: QueueOptions = {}): JobQueue {
  const backoffMs = options.backoffMs ?? RETRY_BASE_MS;
  const lanes = new Map<string, Lane>();
  const seenIds = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let started = false;
  let closed = false;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const remember = (key: string) => {
    seenIds.add(key);
    if (seenIds.size > MAX_REMEMBERED_IDS) seenIds.delete(seenIds.values().next().value!);
  };

  const settleIdle = () => {
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const pump = (lane: Lane) => {
    if (!started || closed) return;
    while (lane.running < lane.concurrency && lane.waiting.length > 0) {
      const job = lane.waiting.shift()!;
      lane.running++;
      const run = lane
        .handler(job.payload, { jobId: job.jobId, attempt: job.attempt })
        .then(
          () => {
            inFlight--;
          },
          (err: unknown) => {
            if (job.attempt < job.attempts && !closed) {
              const timer = setTimeout(() => {
                timers.delete(timer);
                lane.waiting.push({ ...job, attempt: job.attempt + 1 });
                pump(lane);
              }, job.backoffMs * 2 ** (job.attempt - 1));
              timers.add(timer);
            } else {
              inFlight--;
              options.onFailed?.({
                queue: job.queue,
                jobId: job.jobId,
                payload: job.payload,
                attempts: job.attempt,
                error: err instanceof Error ? err.message : String(err),
              });
            }
          },
        )
        .finally(() => {
          lane.running--;
          running.delete(run);
          pump(lane);
          settleIdle();
        });
      running.add(run);
    }
  };

  return {
    kind: 'in-process',
    register(queue, handler, opts) {
      lanes.set(queue, {
        handler: handler as JobHandler<unknown>,
        concurrency: opts?.concurrency ?? 4,
        running: 0,
        waiting: [],
      });
    },
    async enqueue(queue, payload, opts: EnqueueOptions = {}) {
      const lane = lanes.get(queue);
      if (!lane) throw new Error(`no handler registered for queue ${queue}`);
      const jobId = opts.jobId ?? randomUUID();
      const key = `${queue}:${jobId}`;
      if (seenIds.has(key)) return { jobId, duplicate: true };
      remember(key);
      inFlight++;
      const job: PendingJob = { queue, jobId, payload, attempt: 1, attempts: opts.attempts ?? 3, backoffMs: opts.backoffMs ?? backoffMs };
      if (opts.delayMs && opts.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          lane.waiting.push(job);
          pump(lane);
        }, opts.delayMs);
        timers.add(timer);
      } else {
        lane.waiting.push(job);
        pump(lane);
      }
      return { jobId, duplicate: false };
    },
    async runNow(queue, payload, opts) {
      const lane = lanes.get(queue);
      if (!lane) throw new Error(`no handler registered for queue ${queue}`);
      const key = `${queue}:${opts.jobId}`;
      if (seenIds.has(key)) return;
      await lane.handler(payload, { jobId: opts.jobId, attempt: 1 });
      // Only a run that succeeded counts as seen: after a throw the caller's retry must run it.
      remember(key);
    },
    async start() {
      started = true;
      for (const lane of lanes.values()) pump(lane);
    },
    drain() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // A graceful stop lets the handlers that are running finish (as a BullMQ worker does) before
      // the database they write to closes; the jobs still waiting are dropped, as on any restart.
      await Promise.allSettled([...running]);
      inFlight = 0;
      settleIdle();
    },
  };
}
