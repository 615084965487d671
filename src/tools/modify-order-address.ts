import { z } from 'zod';
import { routingSettingsFromConfig } from '../config/routing-settings-from-config.js';
import { modifyPendingOrderAddress } from '../domain/orders/modify-pending-order-address.js';
import { addressArgs } from './address-args.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const modifyOrderAddress = defineTool({
  name: 'modify_order_address',
  description:
    "Changes where a pending order ships. Only orders in status 'pending' can be changed; the customer's default address is not touched (use modify_customer_address for that). Read the new address back to the person and get a yes before calling. A changed destination is a classic fraud step, so this needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({ order_id: orderIdArg, ...addressArgs }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    const { order_id, ...address } = args;
    return orderView(await modifyPendingOrderAddress(ctx.db, { orderId: order_id, ...address }, ctx.actor, {
      routing: routingSettingsFromConfig(ctx.config),
    }));
  },
});
