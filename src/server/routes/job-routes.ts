import { z } from 'zod';
import { decodePageCursor, encodePageCursor } from '../../domain/paging/page-cursor.js';
import { failedJobJson } from '../../jobs/failed-job-json.js';
import { listFailedJobs } from '../../jobs/list-failed-jobs.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageQuery, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const failedQuery = pageQuery
  .extend({
    status: z.enum(['open', 'retried', 'any'], { error: 'must be open, retried or any' }).default('open'),
    queue: z.string().min(1, 'must not be empty').optional(),
  });

const failedJobSchema = z.object({
  id: z.number().int(),
  queue: z.string(),
  job_id: z.string(),
  payload: z.unknown(),
  error: z.string(),
  attempts: z.number().int(),
  failed_at: z.string(),
  retried_at: z.string().nullable(),
  retried_by: z.string().nullable(),
});

const LIST = 'failed-jobs';

export const jobOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/jobs/failed',
    tag: 'jobs',
    summary: 'The dead-letter list, newest first',
    description: "Retrying is the agent's retry_failed_job, which needs an approval.",
    query: failedQuery,
    responses: { 200: { description: 'A page of failed jobs', schema: pageSchema(failedJobSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
];

/** `GET /api/jobs/failed`: the dead-letter list; `status` open (default), retried or any. */
export const jobRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/jobs/failed', async (request, reply) => {
    const q = parseRequestQuery(failedQuery, request.query);
    const cursor = q.cursor === undefined ? null : (decodePageCursor(LIST, q.cursor, ['number'])[0] as number);
    const page = await listFailedJobs(db, { limit: q.limit, cursor, status: q.status, ...(q.queue ? { queue: q.queue } : {}) });
    void reply.header('cache-control', 'no-store');
    return {
      items: page.items.map(failedJobJson),
      next_cursor: page.nextCursor === null ? null : encodePageCursor(LIST, [page.nextCursor]),
    };
  });
};
