import type { JobObserver } from './job-observer.js';
import { observeRun } from './job-observer.js';
import type { JobHandler, JobQueue } from './job-queue.js';

/**
 * The same queue with every registered handler timed for `observer`. Both queue kinds run jobs
 * only through the handler given to `register` (workers, the in-process lanes and `runNow`), so
 * wrapping it there covers every attempt of every job, whichever queue is configured.
 */
export function observeJobQueue(queue: JobQueue, observer: JobObserver): JobQueue {
  return {
    ...queue,
    register<P>(name: string, handler: JobHandler<P>, options?: { concurrency?: number }) {
      queue.register<P>(name, (payload, meta) => observeRun(observer, name, name, () => handler(payload, meta)), options);
    },
  };
}
