import type { Config } from '../config/config.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

/** BullMQ when REDIS_URL is set, the in-process runner otherwise. */
export function openQueue(config: Pick<Config, 'REDIS_URL'>): JobQueue {
  return config.REDIS_URL ? createBullmqQueue(config.REDIS_URL) : createInProcessQueue();
}
