import { z } from 'zod';
import { holdOrder as hold } from '../domain/orders/hold-order.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const holdOrder = defineTool({
  name: 'hold_order',
  description:
    "Puts an order on hold so the warehouse does not pick or ship it, keeping the reason on the order. Works for orders that are pending, processed or in exception; shipped and delivered orders cannot be held. Use release_order to let it go again.",
  tier: 'write',
  input: z.object({
    order_id: orderIdArg,
    reason: z.string().min(3).describe('Why the order is held, for example "address looks fraudulent".'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return hold(ctx.db, { orderId: args.order_id, reason: args.reason }, ctx.actor);
  },
});
