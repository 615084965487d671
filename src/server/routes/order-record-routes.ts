import { z } from 'zod';
import { loadOrderRecord } from '../../console/order-record.js';
import { DomainError } from '../../domain/domain-error.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import type { ApiOperation } from '../api-operation.js';
import { approvalJson, approvalJsonSchema } from '../approval-json.js';
import { errorBodySchema } from '../error-body-schema.js';
import { flagJson, flagJsonSchema } from '../flag-json.js';
import type { RoutePlugin } from '../route-plugin.js';
import { normaliseOrderId } from './order-routes.js';

const orderRecordSchema = z.object({
  routing: z
    .object({
      locations: z.array(z.string()),
      promised_delivery_at: z.string().nullable(),
      trigger: z.string(),
      decided_at: z.string(),
      explanation: z.array(z.string()).describe('The latest decision: rules, candidates, winner, parts.'),
      earlier: z.array(z.object({ at: z.string(), trigger: z.string(), locations: z.array(z.string()) })),
    })
    .nullable(),
  risk: z
    .object({
      score: z.number(),
      decision: z.string(),
      scored_at: z.string(),
      reasons: z.array(z.object({ code: z.string(), reason: z.string(), points: z.number() })),
    })
    .nullable(),
  flags: z.array(flagJsonSchema),
  approvals: z.array(approvalJsonSchema),
  history: z
    .array(z.object({ at: z.string(), source: z.enum(['status', 'audit', 'approval', 'routing', 'risk']), actor: z.string().nullable(), text: z.string() }))
    .describe('Newest first: status changes, audit rows, approvals asked and decided, routing decisions and risk.'),
});

export const orderRecordOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/orders/:id/record',
    tag: 'orders',
    summary: "An order's routing explanation, risk reasons, flags, approvals and full history",
    params: z.object({ id: z.string().describe('#W1234567, %23W1234567 or W1234567') }),
    responses: { 200: { description: 'The record', schema: orderRecordSchema }, 404: { description: 'No such order', schema: errorBodySchema } },
  },
];

export const orderRecordRoutes: RoutePlugin = (app, { db }) => {
  app.get<{ Params: { id: string } }>('/api/orders/:id/record', async (request, reply) => {
    const id = normaliseOrderId(request.params.id);
    if (!(await loadOrder(db, id))) throw new DomainError('not_found', 'order_not_found', `order ${id} not found`);
    const r = await loadOrderRecord(db, id);
    void reply.header('cache-control', 'no-store');
    return {
      routing: r.routing && {
        locations: r.routing.locations,
        promised_delivery_at: r.routing.promisedDeliveryAt,
        trigger: r.routing.trigger,
        decided_at: r.routing.decidedAt,
        explanation: r.routing.explanation,
        earlier: r.routing.earlier,
      },
      risk: r.risk && { score: r.risk.score, decision: r.risk.decision, scored_at: r.risk.scoredAt, reasons: r.risk.reasons },
      flags: r.flags.map(flagJson),
      approvals: r.approvals.map(approvalJson),
      history: r.history,
    } satisfies z.infer<typeof orderRecordSchema>;
  });
};
