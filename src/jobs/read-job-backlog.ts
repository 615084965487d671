import type { Db } from '../db/db.js';
import { OUTBOX_QUEUE } from './outbox-dispatcher.js';

export interface JobBacklog {
  /** Work waiting per queue, with the age in seconds of its oldest item (0 when none waits). */
  waiting: { queue: string; count: number; oldestSeconds: number }[];
  /** Dead letters nobody has retried yet, per queue. */
  failedNotRetried: { queue: string; count: number }[];
}

/**
 * What waits to run, read from the database, so every API and worker process reports the same
 * numbers whichever queue is configured. The outbox is the durable queue every domain event
 * passes through (and in-process jobs run inside its handlers), so it stands for the backlog; an
 * event backing off after a failure still counts as waiting.
 */
export async function readJobBacklog(db: Db): Promise<JobBacklog> {
  const outbox = await db.query<{ count: number; oldest_seconds: number | null }>(
    `SELECT count(*)::int AS count, extract(epoch FROM now() - min(created_at))::float8 AS oldest_seconds
       FROM outbox WHERE done_at IS NULL AND dead_at IS NULL`,
  );
  const failed = await db.query<{ queue: string; count: number }>(
    'SELECT queue, count(*)::int AS count FROM failed_jobs WHERE retried_at IS NULL GROUP BY queue ORDER BY queue',
  );
  const row = outbox.rows[0]!;
  return {
    waiting: [{ queue: OUTBOX_QUEUE, count: row.count, oldestSeconds: Math.max(0, row.oldest_seconds ?? 0) }],
    failedNotRetried: failed.rows.map((r) => ({ queue: r.queue, count: r.count })),
  };
}
