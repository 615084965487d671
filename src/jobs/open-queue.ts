import type { Config } from '../config/config.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

/**
 * BullMQ when REDIS_URL is set, the in-process runner otherwise. `onFailed` hears about a job
 * that failed its last attempt (BullMQ keeps those in its failed set as well).
 */
export function openQueue(
  config: Pick<Config, 'REDIS_URL'>,
  onFailed?: (err: unknown, job: { queue: string; jobId: string }) => void,
): JobQueue {
  return config.REDIS_URL
    ? createBullmqQueue(config.REDIS_URL, onFailed ? { onFailed } : {})
    : createInProcessQueue(onFailed ? { onError: onFailed } : {});
}
