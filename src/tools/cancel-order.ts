import { z } from 'zod';
import { CANCEL_REASONS, cancelPendingOrder } from '../domain/orders/cancel-pending-order.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const cancelOrder = defineTool({
  name: 'cancel_order',
  description:
    "Cancels a pending order and refunds every payment to the method it came from (gift cards at once, cards and PayPal in 5-7 business days). Only orders in status 'pending' can be cancelled. The reason must be 'no longer needed' or 'ordered by mistake'. Confirm the order id and the reason with the person first. This needs a staff approval: the call returns a pending approval, not a cancelled order.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    reason: z.enum(CANCEL_REASONS).describe("Why the order is cancelled: 'no longer needed' or 'ordered by mistake'."),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return orderView(await cancelPendingOrder(ctx.db, { orderId: args.order_id, reason: args.reason }, ctx.actor));
  },
});
