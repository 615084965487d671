import { z } from 'zod';
import { exchangeDeliveredOrderItems } from '../domain/orders/exchange-delivered-order-items.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const exchangeOrderItems = defineTool({
  name: 'exchange_order_items',
  description:
    "Starts an exchange of items from a delivered order for other variants of the same product: the order becomes 'exchange requested', the customer is emailed how to send the old items back, and the price difference is settled with the given payment method. It can be done only once per order, so collect every item first. item_ids[i] is exchanged for new_item_ids[i]. Needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    item_ids: z.array(z.string()).min(1).describe('Item ids of the delivered order to exchange.'),
    new_item_ids: z.array(z.string()).min(1).describe('Replacement item ids (available variants of the same products), same length and order.'),
    payment_method_id: z.string().min(1).describe("The customer's payment method that pays or receives the price difference."),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return orderView(
      await exchangeDeliveredOrderItems(
        ctx.db,
        { orderId: args.order_id, itemIds: args.item_ids, newItemIds: args.new_item_ids, paymentMethodId: args.payment_method_id },
        ctx.actor,
      ),
    );
  },
});
