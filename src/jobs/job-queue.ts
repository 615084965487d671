/** A job handler: receives the payload it was enqueued with. Throwing makes the job retry. */
export type JobHandler<P = unknown> = (payload: P, meta: { jobId: string; attempt: number }) => Promise<void>;

export interface EnqueueOptions {
  /** Same id twice: the second enqueue is ignored (deduplication, e.g. Slack event retries). */
  jobId?: string;
  /** Milliseconds to wait before the job may start. */
  delayMs?: number;
  /** Total tries including the first; defaults to 3. */
  attempts?: number;
  /** The wait before this job's second attempt, doubling for each later one; defaults to the queue's `backoffMs`. */
  backoffMs?: number;
}

/** A job that failed its last attempt, as a queue reports it (to go on the dead-letter list). */
export interface JobFailure {
  queue: string;
  jobId: string;
  payload: unknown;
  attempts: number;
  error: string;
}

/** Options both queues take; each is passed on by openQueue from the config. */
export interface QueueOptions {
  /** Called once per job that failed its last attempt. */
  onFailed?: (failure: JobFailure) => void;
  /** The wait before the second attempt; it doubles for each later one. */
  backoffMs?: number;
}

/**
 * Background work. Two implementations share this contract: BullMQ on Redis when REDIS_URL is
 * set, and an in-process runner otherwise. Handlers are registered by queue name before
 * `start()`; `enqueue` returns once the job is accepted (not run).
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  register<P>(queue: string, handler: JobHandler<P>, options?: { concurrency?: number }): void;
  enqueue<P>(queue: string, payload: P, options?: EnqueueOptions): Promise<{ jobId: string; duplicate: boolean }>;
  /**
   * Runs the handler registered for `queue` in this call, once, and throws what it throws: for a
   * caller whose own record (an outbox marker) must cover the work itself (see handOffJob).
   */
  runNow<P>(queue: string, payload: P, options: { jobId: string }): Promise<void>;
  start(): Promise<void>;
  /** Resolves when every accepted job has finished (tests and benchmarks wait on this). */
  drain(): Promise<void>;
  close(): Promise<void>;
}
