/** One run of a job handler (one attempt of a queue job, or one outbox handler of one event). */
export interface JobRun {
  /** The queue the job came from (`outbox` for outbox events). */
  queue: string;
  /** The handler: the queue name for queue jobs, the subscriber's name for outbox events. */
  job: string;
  seconds: number;
  /** The handler threw; the job retries or, after its last attempt, goes on the dead-letter list. */
  failed: boolean;
}

/**
 * Hears about every handler run, after it returned or threw (metrics). It must not throw and must
 * not wait on anything: it runs on the job's own path.
 */
export interface JobObserver {
  ran(run: JobRun): void;
}

/** One observer that tells each of `observers` (metrics and traces, say). */
export function allObservers(...observers: JobObserver[]): JobObserver {
  return { ran: (run) => observers.forEach((o) => o.ran(run)) };
}

/** Runs `work`, tells `observer` how long it took and whether it threw, and returns or rethrows its outcome. */
export async function observeRun<T>(observer: JobObserver | undefined, queue: string, job: string, work: () => Promise<T>): Promise<T> {
  if (!observer) return work();
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await work();
    observer.ran({ queue, job, seconds: seconds(), failed: false });
    return result;
  } catch (err) {
    observer.ran({ queue, job, seconds: seconds(), failed: true });
    throw err;
  }
}
