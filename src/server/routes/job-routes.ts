import { z } from 'zod';
import { failedJobJson } from '../../jobs/failed-job-json.js';
import { listFailedJobs } from '../../jobs/list-failed-jobs.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const failedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().positive().optional(),
  status: z.enum(['open', 'retried', 'any']).default('open'),
  queue: z.string().min(1).optional(),
});

/**
 * `GET /api/jobs/failed`: the dead-letter list, newest first, `?limit=&cursor=` paging with the
 * `next_cursor` of the page before; `status` open (default), retried or any. Retrying is the
 * agent's `retry_failed_job`, which needs an approval.
 */
export const jobRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/jobs/failed', async (request, reply) => {
    const q = parseRequestQuery(failedQuery, request.query);
    const page = await listFailedJobs(db, { limit: q.limit, cursor: q.cursor ?? null, status: q.status, ...(q.queue ? { queue: q.queue } : {}) });
    void reply.header('cache-control', 'no-store');
    return {
      items: page.items.map(failedJobJson),
      next_cursor: page.nextCursor === null ? null : String(page.nextCursor),
    };
  });
};
