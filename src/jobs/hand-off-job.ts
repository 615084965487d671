import type { JobQueue } from './job-queue.js';

/**
 * Hands an outbox handler's work to the job queue so that the outbox event, once marked done,
 * covers that work. A BullMQ job is durable from the moment it is accepted, so it is enqueued. An
 * in-process job is not (a restart before it runs loses it), so it runs here, inside the outbox
 * handler: the event is done only after the work ran, and a throw makes the event retry.
 */
export async function handOffJob<P>(queue: JobQueue, name: string, payload: P, options: { jobId: string }): Promise<void> {
  if (queue.kind === 'in-process') await queue.runNow(name, payload, options);
  else await queue.enqueue(name, payload, options);
}
