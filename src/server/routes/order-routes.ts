import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/domain-error.js';
import { requestHash } from '../../domain/idempotency/request-hash.js';
import { runIdempotent, type IdempotentResponse } from '../../domain/idempotency/run-idempotent.js';
import { parseCanonicalOrder } from '../../domain/orders/canonical-order.js';
import { createOrder } from '../../domain/orders/create-order.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import { listOrderTrackingEvents } from '../../domain/shipping/shipment-repository.js';
import type { Db } from '../../db/db.js';
import { channelWriteRefusal } from '../api-caller.js';
import { orderView } from '../order-view.js';
import type { RoutePlugin } from '../route-plugin.js';
import { routingSettingsFromConfig } from '../../config/routing-settings-from-config.js';

const IDEMPOTENCY_SCOPE = 'POST /api/orders';

/** `#W1234567` travels in URLs as `%23W1234567` or bare `W1234567`; both name the same order. */
export function normaliseOrderId(raw: string): string {
  const id = raw.trim();
  return /^W\d+$/i.test(id) ? `#${id.toUpperCase()}` : id;
}

export const orderRoutes: RoutePlugin = (app, { db, config }) => {
  const routing = routingSettingsFromConfig(config);
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
