import { z } from 'zod';
import { cancelAndRefundOrder as cancelAndRefund } from '../domain/orders/cancel-and-refund-order.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const cancelAndRefundOrder = defineTool({
  name: 'cancel_and_refund_order',
  description:
    "Staff cancellation of an order that has not shipped (pending, on hold, processed or in exception): refunds every payment method what it paid, releases the reserved stock and records the reason. Use it for held or suspicious orders and for cancellations the customer-facing rules do not cover; for a customer's own request on a pending order use cancel_order. This needs a staff approval: the call returns a pending approval, not a cancelled order.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    reason: z.string().min(1).max(200).describe('Why the order is cancelled, e.g. "suspected fraud" or "out of stock".'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return cancelAndRefund(ctx.db, { orderId: args.order_id, reason: args.reason }, ctx.actor);
  },
});
