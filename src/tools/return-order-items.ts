import { z } from 'zod';
import { returnDeliveredOrderItems } from '../domain/orders/return-delivered-order-items.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const returnOrderItems = defineTool({
  name: 'return_order_items',
  description:
    "Starts a return of items from a delivered order: the order becomes 'return requested' and the customer is emailed how to send the items back. The refund goes to the original payment method or to one of the customer's gift cards. Only delivered orders qualify. Confirm the order, the items and the refund method first. Needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    item_ids: z.array(z.string()).min(1).describe('Item ids of the order to return; repeat an id to return two of the same item.'),
    payment_method_id: z.string().min(1).describe('Where the refund goes: the original payment method or a gift card of the customer.'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return orderView(
      await returnDeliveredOrderItems(
        ctx.db,
        { orderId: args.order_id, itemIds: args.item_ids, paymentMethodId: args.payment_method_id },
        ctx.actor,
      ),
    );
  },
});
