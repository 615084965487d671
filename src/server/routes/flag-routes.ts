import { z } from 'zod';
import { FLAG_STATUSES, type AnomalyFlag } from '../../anomaly/flags/anomaly-flag.js';
import { listFlagsPage } from '../../anomaly/flags/list-flags-page.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
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

const flagJsonSchema = z.object({
  id: z.number().int(),
  subject_type: z.enum(['order', 'stock', 'fulfilment']),
  subject_id: z.string(),
  rule: z.string(),
  category: z.enum(['risk', 'stock', 'operations']),
  severity: z.enum(['info', 'warning', 'critical']),
  score: z.number(),
  title: z.string(),
  reasons: z.array(z.string()),
  status: z.enum(FLAG_STATUSES),
  occurrences: z.number().int(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  acknowledged_by: z.string().nullable(),
  resolved_by: z.string().nullable(),
  resolution: z.string().nullable(),
});

function flagJson(f: AnomalyFlag): z.infer<typeof flagJsonSchema> {
  return {
    id: f.id,
    subject_type: f.subjectType,
    subject_id: f.subjectId,
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    score: f.score,
    title: f.title,
    reasons: f.reasons,
    status: f.status,
    occurrences: f.occurrences,
    first_seen_at: f.firstSeenAt,
    last_seen_at: f.lastSeenAt,
    acknowledged_by: f.acknowledgedBy,
    resolved_by: f.resolvedBy,
    resolution: f.resolution,
  };
}

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
