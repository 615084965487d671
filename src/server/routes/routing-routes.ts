import type { Actor } from '../../domain/actor.js';
import { formatRoutingExplanation } from '../../domain/routing/format-routing-decision.js';
import { listRoutingDecisions } from '../../domain/routing/routing-decision-repository.js';
import {
  createRoutingRule,
  deleteRoutingRule,
  listRoutingRules,
  updateRoutingRule,
} from '../../domain/routing/routing-rule-repository.js';
import type { RoutePlugin } from '../route-plugin.js';
import { normaliseOrderId } from './order-routes.js';

const actor: Actor = { kind: 'api', id: 'routing-rules' };

/** Routing rules CRUD (400 naming the field on a bad rule) and an order's routing decisions. */
export const routingRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/routing-rules', async () => ({ rules: await listRoutingRules(db) }));

  app.post('/api/routing-rules', async (request, reply) => {
    const rule = await createRoutingRule(db, request.body, actor);
    return reply.code(201).send({ rule });
  });

  app.put<{ Params: { id: string } }>('/api/routing-rules/:id', async (request) => ({
    rule: await updateRoutingRule(db, request.params.id, request.body, actor),
  }));

  app.delete<{ Params: { id: string } }>('/api/routing-rules/:id', async (request, reply) => {
    await deleteRoutingRule(db, request.params.id, actor);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/orders/:id/routing', async (request) => {
    const decisions = await listRoutingDecisions(db, normaliseOrderId(request.params.id));
    return { decisions: decisions.map((d) => ({ ...d, text: formatRoutingExplanation(d.explanation) })) };
  });
};
