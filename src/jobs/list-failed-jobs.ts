import type { Db } from '../db/db.js';

/** One entry of the dead-letter list. */
export interface FailedJob {
  id: number;
  queue: string;
  jobId: string;
  payload: unknown;
  error: string;
  attempts: number;
  failedAt: string;
  retriedAt: string | null;
  retriedBy: string | null;
}

export interface FailedJobRow {
  id: number;
  queue: string;
  job_id: string;
  payload: unknown;
  error: string;
  attempts: number;
  failed_at: Date | string;
  retried_at: Date | string | null;
  retried_by: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export function toFailedJob(r: FailedJobRow): FailedJob {
  return {
    id: Number(r.id),
    queue: r.queue,
    jobId: r.job_id,
    payload: r.payload,
    error: r.error,
    attempts: r.attempts,
    failedAt: iso(r.failed_at),
    retriedAt: r.retried_at === null ? null : iso(r.retried_at),
    retriedBy: r.retried_by,
  };
}

export type FailedJobStatus = 'open' | 'retried' | 'any';

/**
 * The dead-letter list, newest first, a page at a time: `cursor` is the `nextCursor` of the page
 * before (null on the last page). `open` (not yet retried) by default.
 */
export async function listFailedJobs(
  db: Db,
  options: { limit?: number; cursor?: number | null; status?: FailedJobStatus; queue?: string } = {},
): Promise<{ items: FailedJob[]; nextCursor: number | null }> {
  const limit = options.limit ?? 50;
  const status = options.status ?? 'open';
  const { rows } = await db.query<FailedJobRow>(
    `SELECT id::int AS id, queue, job_id, payload, error, attempts, failed_at, retried_at, retried_by FROM failed_jobs
      WHERE ($1::bigint IS NULL OR id < $1)
        AND ($2::text = 'any' OR ($2::text = 'open') = (retried_at IS NULL))
        AND ($3::text IS NULL OR queue = $3)
      ORDER BY id DESC LIMIT $4`,
    [options.cursor ?? null, status, options.queue ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toFailedJob);
  return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
