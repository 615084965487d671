import { z } from 'zod';
import { getCustomerDetails as loadCustomerDetails } from '../domain/customers/customer-repository.js';
import { DomainError } from '../domain/domain-error.js';
import { defineTool } from './tool.js';

export const getCustomerDetails = defineTool({
  name: 'get_customer_details',
  description:
    "Returns a customer's profile: name, default address, email, payment methods (with gift card balances) and the ids of their orders, oldest first. Use it to look up which orders a customer has or which payment method ids they can use.",
  tier: 'read',
  input: z.object({
    customer_id: z.string().min(1).describe('The customer id returned by find_customer, for example "sofia_li_9219".'),
  }),
  async run(args, ctx) {
    const user = await loadCustomerDetails(ctx.db, args.customer_id);
    if (!user) throw new DomainError('not_found', 'customer_not_found', 'user not found');
    return { customer_id: args.customer_id, ...user };
  },
});
