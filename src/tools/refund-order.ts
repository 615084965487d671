import { z } from 'zod';
import { centsToNumeric, toCents } from '../domain/money.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { refundOrder as refund } from '../domain/payments/refund-order.js';
import { refundedTotal } from '../domain/payments/refunded-total.js';
import { orderIdArg } from './order-id-arg.js';
import { runningTotalPolicy } from './running-total-policy.js';
import { defineTool } from './tool.js';

const input = z.object({
  order_id: orderIdArg,
  amount: z.number().positive().optional().describe('Amount to refund in the order currency, for example 25.5; omit for a full refund.'),
  payment_method_id: z.string().optional().describe("Where the refund goes; defaults to the order's original payment method."),
  reason: z.string().min(3).describe('Why the money is refunded, kept on the record, for example "late delivery goodwill".'),
});

export const refundOrder = defineTool({
  name: 'refund_order',
  description:
    "Refunds money on an order without changing its status: the whole refundable amount when amount is left out, or part of it. The refund goes to the order's original payment method unless another of the customer's methods is given; gift cards are credited at once. When everything refunded on the order, plus refunds waiting for approval on it, plus this one adds up to more than the configured limit, the call waits for a staff approval and returns a pending approval; a full refund always waits.",
  tier: 'write',
  input,
  subject: (args) => ({ orderId: args.order_id }),
  policy: runningTotalPolicy<z.output<typeof input>>({
    // The order row is the lock every writer of its payments ledger already takes.
    lock: async (args, tx) => {
      await loadOrder(tx, args.order_id, { forUpdate: true });
    },
    limit: (config) => toCents(config.APPROVAL_REFUND_THRESHOLD),
    amount: (args) => (args.amount === undefined ? null : toCents(args.amount)),
    recorded: (args, db) => refundedTotal(db, args.order_id),
    async waiting(args, waiting) {
      const pending = await waiting({ orderId: args.order_id });
      return pending.flatMap((a) => a.preview.money).reduce((sum, m) => sum + (m.direction === 'refund' ? toCents(m.amount) : 0), 0);
    },
    reason: (args, total, limit) =>
      total === null
        ? `a full refund needs approval (limit ${centsToNumeric(limit)})`
        : `brings refunds on order ${args.order_id} to ${centsToNumeric(total)}, over the ${centsToNumeric(limit)} limit`,
  }),
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
