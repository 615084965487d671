import type { Config } from '../config/config.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobQueue, QueueOptions } from './job-queue.js';

/**
 * BullMQ when REDIS_URL is set (keys under QUEUE_PREFIX), the in-process runner otherwise.
 * `onFailed` hears about each job that failed its last attempt.
 */
export function openQueue(config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX' | 'JOB_LEASE_MS'>, options: QueueOptions = {}): JobQueue {
  return config.REDIS_URL
    ? createBullmqQueue(config.REDIS_URL, { ...options, prefix: config.QUEUE_PREFIX, leaseMs: config.JOB_LEASE_MS })
    : createInProcessQueue(options);
}
