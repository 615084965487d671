import type { Db } from '../db/db.js';
import { actorLabel, type Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { DomainError } from '../domain/domain-error.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import { toFailedJob, type FailedJob, type FailedJobRow } from './list-failed-jobs.js';
import { OUTBOX_QUEUE } from './outbox-dispatcher.js';

/** The outbox topic whose handler puts a retried job back on its queue. */
export const JOB_RETRY_TOPIC = 'jobs.retry_requested';

/**
 * Sends a dead-lettered job round once more and records who asked, in one transaction: an outbox
 * event is made due again (its handlers that already ran stay done); a queue job is re-enqueued
 * through an outbox event, so the retry happens exactly when this commits and at most once.
 * A job already retried is refused, so a second approval cannot run it twice.
 */
export async function retryFailedJob(db: Db, id: number, actor: Actor): Promise<FailedJob> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<FailedJobRow>(
      `SELECT id::int AS id, queue, job_id, payload, error, attempts, failed_at, retried_at, retried_by FROM failed_jobs WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new DomainError('not_found', 'failed_job_not_found', `failed job ${id} does not exist`);
    if (row.retried_at !== null) {
      throw new DomainError(
        'conflict',
        'failed_job_already_retried',
        `failed job ${id} (${row.queue} ${row.job_id}) was already retried by ${row.retried_by} at ${new Date(row.retried_at).toISOString()}`,
      );
    }
    if (row.queue === OUTBOX_QUEUE) {
      const outboxId = Number((row.payload as { id: number }).id);
      await tx.query(
        `UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = now(), locked_until = NULL WHERE id = $1`,
        [outboxId],
      );
    } else {
      await writeOutbox(tx, JOB_RETRY_TOPIC, { failedJobId: row.id, queue: row.queue, jobId: row.job_id, payload: row.payload });
    }
    const { rows: updated } = await tx.query<FailedJobRow>(
      `UPDATE failed_jobs SET retried_at = now(), retried_by = $2 WHERE id = $1
       RETURNING id::int AS id, queue, job_id, payload, error, attempts, failed_at, retried_at, retried_by`,
      [id, actorLabel(actor)],
    );
    await recordAudit(tx, actor, { action: 'job.retried', entityType: 'failed_job', entityId: String(id), data: { queue: row.queue, jobId: row.job_id } });
    return toFailedJob(updated[0]!);
  });
}
