import { z } from 'zod';
import { refundOrder as refund } from '../domain/payments/refund-order.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const refundOrder = defineTool({
  name: 'refund_order',
  description:
    "Refunds money on an order without changing its status: the whole refundable amount when amount is left out, or part of it. The refund goes to the order's original payment method unless another of the customer's methods is given; gift cards are credited at once. Refunds above the configured limit wait for a staff approval, in which case the call returns a pending approval.",
  tier: 'write',
  input: z.object({
    order_id: orderIdArg,
    amount: z.number().positive().optional().describe('Amount to refund in the order currency, for example 25.5; omit for a full refund.'),
    payment_method_id: z.string().optional().describe("Where the refund goes; defaults to the order's original payment method."),
    reason: z.string().min(3).describe('Why the money is refunded, kept on the record, for example "late delivery goodwill".'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  policy(args, ctx) {
    const limit = ctx.config.APPROVAL_REFUND_THRESHOLD;
    if (args.amount === undefined) return `a full refund needs approval (limit ${limit})`;
    return args.amount > limit ? `refund of ${args.amount} is above the approval limit of ${limit}` : null;
  },
  async run(args, ctx) {
    return refund(
      ctx.db,
      {
        orderId: args.order_id,
        ...(args.amount !== undefined ? { amount: args.amount } : {}),
        ...(args.payment_method_id ? { paymentMethodId: args.payment_method_id } : {}),
        reason: args.reason,
      },
      ctx.actor,
    );
  },
});
