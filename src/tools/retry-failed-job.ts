import { z } from 'zod';
import type { FailedJob } from '../jobs/list-failed-jobs.js';
import { retryFailedJob as retry } from '../jobs/retry-failed-job.js';
import { defineTool } from './tool.js';

export const retryFailedJob = defineTool({
  name: 'retry_failed_job',
  description:
    'Runs a job from the dead-letter list (list_failed_jobs) once more: a domain event goes back to the handlers that have not run yet, a queue job is enqueued again. A retry can repeat an effect outside the store (a mail, a label, a Slack post), so it needs a staff approval: the call returns a pending approval. A job is retried once per approval; one already retried is refused, naming who retried it.',
  tier: 'approval',
  input: z.object({
    failed_job_id: z.number().int().positive().describe('The id of the dead-letter entry, as list_failed_jobs returns it.'),
  }),
  previewChanges(result) {
    const job = result as FailedJob;
    return [{ field: `failed job ${job.id} (${job.queue} ${job.jobId})`, before: `failed after ${job.attempts} attempts: ${job.error}`, after: 'enqueued again' }];
  },
  async run(args, ctx) {
    return retry(ctx.db, args.failed_job_id, ctx.actor);
  },
});
