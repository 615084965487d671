import { handOffJob } from './hand-off-job.js';
import type { JobQueue } from './job-queue.js';
import type { OutboxSubscriber } from './outbox-subscriber.js';
import { JOB_RETRY_TOPIC } from './retry-failed-job.js';

/**
 * Puts a retried job back on its queue (with the in-process queue: runs it, see handOffJob). The job id names the dead letter it came from, so this
 * handler running twice (a worker died after enqueueing) enqueues one job, and the retry is not
 * mistaken for the original the queue already saw.
 */
export function jobRetrySubscriber(queue: JobQueue): OutboxSubscriber {
  return {
    topic: JOB_RETRY_TOPIC,
    name: 'jobs.retry',
    async handle(event) {
      const p = event.payload as { failedJobId: number; queue: string; jobId: string; payload: unknown };
      await handOffJob(queue, p.queue, p.payload, { jobId: `${p.jobId}-retry-${p.failedJobId}` });
    },
  };
}
