import { z } from 'zod';
import { findCustomerIdByEmail, findCustomerIdByNameZip } from '../domain/customers/customer-repository.js';
import { DomainError } from '../domain/domain-error.js';
import { defineTool } from './tool.js';

export const findCustomer = defineTool({
  name: 'find_customer',
  description:
    'Finds a customer account and returns its customer_id. Give either the email address, or the first name, last name and zip code together. Use it to authenticate a customer at the start of a conversation, even when they already quoted an id. Returns an error when no account matches; ask the customer to check the details rather than guessing.',
  tier: 'read',
  input: z
    .object({
      email: z.string().optional().describe('Email address on the account; matched ignoring case.'),
      first_name: z.string().optional().describe('First name; used together with last_name and zip.'),
      last_name: z.string().optional().describe('Last name; used together with first_name and zip.'),
      zip: z.string().optional().describe('Zip code of the default address, exactly as written.'),
    })
    .refine((a) => a.email || (a.first_name && a.last_name && a.zip), {
      message: 'give email, or first_name, last_name and zip',
    }),
  async run(args, ctx) {
    const id = args.email
      ? await findCustomerIdByEmail(ctx.db, args.email.trim())
      : await findCustomerIdByNameZip(ctx.db, args.first_name!.trim(), args.last_name!.trim(), args.zip!.trim());
    if (!id) throw new DomainError('not_found', 'customer_not_found', 'user not found');
    return { customer_id: id };
  },
});
