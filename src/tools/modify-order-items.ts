import { z } from 'zod';
import { routingSettingsFromConfig } from '../config/routing-settings-from-config.js';
import { modifyPendingOrderItems } from '../domain/orders/modify-pending-order-items.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const modifyOrderItems = defineTool({
  name: 'modify_order_items',
  description:
    "Swaps items of a pending order for other variants of the same product (for example another color), charging or refunding the price difference to the given payment method. It can be done only once per order, so collect every item to change first. item_ids[i] is replaced by new_item_ids[i]; new items must be available variants of the same product. A gift card must cover the difference. Needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    item_ids: z.array(z.string()).min(1).describe('Item ids in the order to replace; repeat an id to replace two of the same item.'),
    new_item_ids: z.array(z.string()).min(1).describe('Replacement item ids, same length and order as item_ids.'),
    payment_method_id: z.string().min(1).describe("The customer's payment method that pays or receives the price difference."),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return orderView(
      await modifyPendingOrderItems(
        ctx.db,
        { orderId: args.order_id, itemIds: args.item_ids, newItemIds: args.new_item_ids, paymentMethodId: args.payment_method_id },
        ctx.actor,
        { routing: routingSettingsFromConfig(ctx.config) },
      ),
    );
  },
});
