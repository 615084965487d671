import { z } from 'zod';
import { failedJobJson } from '../jobs/failed-job-json.js';
import { listFailedJobs as list } from '../jobs/list-failed-jobs.js';
import { defineTool } from './tool.js';

export const listFailedJobs = defineTool({
  name: 'list_failed_jobs',
  description:
    'Lists background jobs that failed every attempt (the dead-letter list), newest first: the queue (outbox for domain events such as order.created or inventory.movement; agent-turn, slack-turn, email-outbound, fulfil-order...), the job id, its payload, the last error and how often it was tried. By default only those not yet retried. Use retry_failed_job to run one again once its cause is fixed.',
  tier: 'read',
  input: z.object({
    status: z.enum(['open', 'retried', 'any']).optional().describe("Which: 'open' (default) not yet retried, 'retried', or 'any'."),
    queue: z.string().min(1).optional().describe('Only jobs of this queue, e.g. "outbox" or "email-outbound".'),
    limit: z.number().int().min(1).max(100).optional().describe('At most this many (default 20).'),
    cursor: z.number().int().positive().optional().describe('The next_cursor of the previous page, for older entries.'),
  }),
  async run(args, ctx) {
    const page = await list(ctx.db, {
      limit: args.limit ?? 20,
      cursor: args.cursor ?? null,
      status: args.status ?? 'open',
      ...(args.queue ? { queue: args.queue } : {}),
    });
    return {
      failed_jobs: page.items.map(failedJobJson),
      next_cursor: page.nextCursor,
    };
  },
});
