import { z } from 'zod';
import { modifyPendingOrderPayment } from '../domain/orders/modify-pending-order-payment.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const modifyOrderPayment = defineTool({
  name: 'modify_order_payment',
  description:
    "Moves the payment of a pending order to another of the customer's payment methods: the new method is charged the order amount and the old one refunded. The new method must differ from the current one, and a gift card must cover the whole amount. Needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    payment_method_id: z.string().min(1).describe("The customer's payment method to pay with instead, for example \"gift_card_1234567\"."),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return orderView(
      await modifyPendingOrderPayment(ctx.db, { orderId: args.order_id, paymentMethodId: args.payment_method_id }, ctx.actor),
    );
  },
});
