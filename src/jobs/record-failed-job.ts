import type { Db } from '../db/db.js';

export interface FailedJobInput {
  queue: string;
  jobId: string;
  payload: unknown;
  error: string;
  attempts: number;
}

/**
 * Puts a job that failed its last attempt on the dead-letter list. A job already on the list and
 * not yet retried keeps its row (a second report of the same failure is not a second failure).
 */
export async function recordFailedJob(db: Db, job: FailedJobInput): Promise<void> {
  await db.query(
    `INSERT INTO failed_jobs (queue, job_id, payload, error, attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (queue, job_id) WHERE retried_at IS NULL DO NOTHING`,
    [job.queue, job.jobId, JSON.stringify(job.payload ?? null), job.error.slice(0, 4000), job.attempts],
  );
}
