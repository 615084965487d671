import { z } from 'zod';
import { modifyCustomerAddress as changeCustomerAddress } from '../domain/customers/modify-customer-address.js';
import { addressArgs } from './address-args.js';
import { defineTool } from './tool.js';

export const modifyCustomerAddress = defineTool({
  name: 'modify_customer_address',
  description:
    "Changes a customer's default address, used for future orders. Orders already placed keep their address (use modify_order_address for those). Read the new address back and get a yes before calling. This needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    customer_id: z.string().min(1).describe('The customer whose default address changes.'),
    ...addressArgs,
  }),
  subject: (args) => ({ customerId: args.customer_id }),
  async run(args, ctx) {
    const { customer_id, ...address } = args;
    const user = await changeCustomerAddress(ctx.db, { customerId: customer_id, ...address }, ctx.actor);
    return { customer_id, ...user };
  },
});
