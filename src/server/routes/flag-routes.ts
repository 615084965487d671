import { z } from 'zod';
import { FLAG_STATUSES } from '../../anomaly/flags/anomaly-flag.js';
import { listFlagsPage } from '../../anomaly/flags/list-flags-page.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { flagJson, flagJsonSchema } from '../flag-json.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const STATUS_FILTERS = [...FLAG_STATUSES, 'unresolved'] as const;

const flagListQuery = pageQuery
  .extend({
    status: z.enum(STATUS_FILTERS, { error: `must be one of ${STATUS_FILTERS.join(', ')}` }).optional().describe('unresolved is open plus acknowledged; absent: every status.'),
    rule: z.string().trim().min(1, 'must not be empty').optional().describe('e.g. order_risk, order_sla, stockout_risk, carrier_exception.'),
    category: z.enum(['risk', 'stock', 'operations'], { error: 'must be risk, stock or operations' }).optional(),
  });

export const flagOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/flags',
    tag: 'flags',
    summary: 'List anomaly flags, newest raised first',
    query: flagListQuery,
    responses: { 200: { description: 'A page of flags', schema: pageSchema(flagJsonSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
];

export const flagRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/flags', async (request, reply) => {
    const q = parseRequestQuery(flagListQuery, request.query);
    const page = await listFlagsPage(
      db,
      { ...(q.status ? { status: q.status } : {}), ...(q.rule ? { rule: q.rule } : {}), ...(q.category ? { category: q.category } : {}) },
      pageRequestOf(q),
    );
    void reply.header('cache-control', 'no-store');
    return pageJson(page, flagJson);
  });
};
