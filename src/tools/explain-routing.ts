import { z } from 'zod';
import { formatRoutingDecisions } from '../domain/routing/format-routing-decision.js';
import { listRoutingDecisions } from '../domain/routing/routing-decision-repository.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const explainRouting = defineTool({
  name: 'explain_routing',
  description:
    "Explains where an order ships from and why: the routing rules that matched, every candidate location with its stock, distance, shipping cost and transit, why some were refused, the winner, any split into several shipments, and the promised delivery date. Shows the latest decision in full and earlier ones (after an address or item change, or a reroute) in one line each.",
  tier: 'read',
  input: z.object({ order_id: orderIdArg }),
  async run(args, ctx) {
    const decisions = await listRoutingDecisions(ctx.db, args.order_id, 5);
    return {
      order_id: args.order_id,
      latest: decisions[0]
        ? { locations: decisions[0].explanation.winner.locations, promised_delivery_at: decisions[0].promisedDeliveryAt, trigger: decisions[0].trigger }
        : null,
      explanation: formatRoutingDecisions(args.order_id, decisions),
    };
  },
});
