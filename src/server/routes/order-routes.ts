import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/domain-error.js';
import { requestHash } from '../../domain/idempotency/request-hash.js';
import { runIdempotent, type IdempotentResponse } from '../../domain/idempotency/run-idempotent.js';
import { canonicalOrderSchema, parseCanonicalOrder } from '../../domain/orders/canonical-order.js';
import { createOrder } from '../../domain/orders/create-order.js';
import { listOrders } from '../../domain/orders/list-orders.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import { ORDER_STATUSES } from '../../domain/orders/order-status.js';
import { listOrderTrackingEvents } from '../../domain/shipping/shipment-repository.js';
import type { Db } from '../../db/db.js';
import { channelWriteRefusal } from '../api-caller.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { orderListItemSchema, orderListItemView } from '../order-list-item-view.js';
import { orderView } from '../order-view.js';
import { orderViewSchema } from '../order-view-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';
import { routingSettingsFromConfig } from '../../config/routing-settings-from-config.js';

const IDEMPOTENCY_SCOPE = 'POST /api/orders';

/** `#W1234567` travels in URLs as `%23W1234567` or bare `W1234567`; both name the same order. */
export function normaliseOrderId(raw: string): string {
  const id = raw.trim();
  return /^W\d+$/i.test(id) ? `#${id.toUpperCase()}` : id;
}

const orderListQuery = pageQuery
  .extend({
    status: z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` }).optional(),
    channel: z.string().trim().min(1, 'must not be empty').optional().describe('Sales channel, e.g. shopify, api.'),
    q: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('Part of the order id or number, customer email or name, a SKU, or a tracking number; case-insensitive.'),
  });
const orderIdParams = z.object({ id: z.string().describe('#W1234567, %23W1234567 or W1234567') });

export const orderOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/orders',
    tag: 'orders',
    summary: 'List orders, newest placed first',
    query: orderListQuery,
    responses: { 200: { description: 'A page of orders', schema: pageSchema(orderListItemSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
  {
    method: 'POST',
    path: '/api/orders',
    tag: 'orders',
    summary: 'Create an order (idempotent on channel and external_id, and on the Idempotency-Key header)',
    body: canonicalOrderSchema,
    responses: {
      200: { description: 'The order existed already', schema: z.object({ created: z.literal(false), order: orderViewSchema }) },
      201: { description: 'Created', schema: z.object({ created: z.literal(true), order: orderViewSchema }) },
      400: { description: 'The order is not valid', schema: errorBodySchema },
      403: { description: "A channel token writing another channel's order", schema: errorBodySchema },
    },
  },
  {
    method: 'GET',
    path: '/api/orders/:id',
    tag: 'orders',
    summary: 'One order with lines (and their SKUs), shipments, tracking events and payments',
    params: orderIdParams,
    responses: { 200: { description: 'The order', schema: z.object({ order: orderViewSchema }) }, 404: { description: 'No such order', schema: errorBodySchema } },
  },
];

export const orderRoutes: RoutePlugin = (app, { db, config }) => {
  const routing = routingSettingsFromConfig(config);

  app.get('/api/orders', async (request, reply) => {
    const q = parseRequestQuery(orderListQuery, request.query);
    const page = await listOrders(
      db,
      { ...(q.status ? { status: q.status } : {}), ...(q.channel ? { channel: q.channel } : {}), ...(q.q ? { q: q.q } : {}) },
      pageRequestOf(q),
    );
    void reply.header('cache-control', 'no-store');
    return pageJson(page, orderListItemView);
  });

  app.post('/api/orders', async (request, reply) => {
    const parsed = parseCanonicalOrder(request.body);
    if (!parsed.ok) {
      return reply.code(400).send({ error: 'the order is not valid', code: 'invalid_order', issues: parsed.issues });
    }
    const order = parsed.order;
    const refusal = channelWriteRefusal(request.apiCaller, order.channel);
    if (refusal) return reply.code(403).send(refusal);
    const actor: Actor = { kind: 'api', id: order.channel };
    const run = async (handle: Db): Promise<IdempotentResponse> => {
      const result = await createOrder(handle, order, actor, { routing });
      return { statusCode: result.created ? 201 : 200, body: { created: result.created, order: orderView(result.order) } };
    };

    const keyHeader = request.headers['idempotency-key'];
    if (keyHeader === undefined) {
      const response = await run(db);
      return reply.code(response.statusCode).send(response.body);
    }
    const key = Array.isArray(keyHeader) ? keyHeader[0] ?? '' : keyHeader;
    if (key.length < 1 || key.length > 255) {
      return reply.code(400).send({
        error: 'the Idempotency-Key header must be 1 to 255 characters',
        code: 'invalid_idempotency_key',
        issues: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 characters' }],
      });
    }
    const response = await runIdempotent(db, { scope: IDEMPOTENCY_SCOPE, key, hash: requestHash(request.body) }, run);
    return reply
      .code(response.statusCode)
      .header('idempotent-replayed', String(response.replayed))
      .send(response.body);
  });

  app.get<{ Params: { id: string } }>('/api/orders/:id', async (request) => {
    const id = normaliseOrderId(request.params.id);
    const order = await loadOrder(db, id);
    if (!order) throw new DomainError('not_found', 'order_not_found', `order ${id} not found`);
    return { order: orderView(order, await listOrderTrackingEvents(db, id)) };
  });
};
