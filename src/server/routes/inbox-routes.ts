import { z } from 'zod';
import { INBOX_KINDS, listInbox, type InboxItem } from '../../console/inbox.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const inboxQuery = pageQuery
  .extend({
    kind: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()))
      .pipe(z.array(z.enum(INBOX_KINDS, { error: `each must be one of ${INBOX_KINDS.join(', ')}` })))
      .optional()
      .describe(`Comma-separated kinds: ${INBOX_KINDS.join(', ')}; absent: all.`),
  });

const inboxItemSchema = z.object({
  id: z.string().describe('kind:ref, unique in the inbox'),
  kind: z.enum(INBOX_KINDS),
  ref: z.string().describe('The id in its own list: approval id, order id, flag id, failed job id.'),
  title: z.string(),
  detail: z.string().nullable(),
  since: z.string().describe('When it started waiting.'),
  age_seconds: z.number().int(),
  order_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  customer_name: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

function inboxItemJson(i: InboxItem): z.infer<typeof inboxItemSchema> {
  return {
    id: i.id,
    kind: i.kind,
    ref: i.ref,
    title: i.title,
    detail: i.detail,
    since: i.since,
    age_seconds: i.ageSeconds,
    order_id: i.orderId,
    customer_id: i.customerId,
    customer_name: i.customerName,
    details: i.details,
  };
}

export const inboxOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/inbox',
    tag: 'inbox',
    summary: 'What needs a person, oldest first, with its age',
    description: 'Approvals waiting for a decision, held orders, orders in exception, SLA breaches, open anomaly flags and failed jobs not yet retried.',
    query: inboxQuery,
    responses: { 200: { description: 'A page of the inbox', schema: pageSchema(inboxItemSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
];

export const inboxRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/inbox', async (request, reply) => {
    const q = parseRequestQuery(inboxQuery, request.query);
    const page = await listInbox(db, q.kind ? { kinds: q.kind } : {}, pageRequestOf(q));
    void reply.header('cache-control', 'no-store');
    return pageJson(page, inboxItemJson);
  });
};
