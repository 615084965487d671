import type { FailedJob } from './list-failed-jobs.js';

/** A dead-letter entry as the API and the agent see it (snake_case, like the rest of the wire). */
export function failedJobJson(j: FailedJob) {
  return {
    id: j.id,
    queue: j.queue,
    job_id: j.jobId,
    payload: j.payload,
    error: j.error,
    attempts: j.attempts,
    failed_at: j.failedAt,
    retried_at: j.retriedAt,
    retried_by: j.retriedBy,
  };
}
