import { z } from 'zod';
import { releaseOrder as release } from '../domain/orders/release-order.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const releaseOrder = defineTool({
  name: 'release_order',
  description:
    'Releases an order that is on hold back to the status it had before, so fulfilment resumes. Releasing a held order may ship goods to a suspicious buyer, so it needs a staff approval: the call returns a pending approval.',
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    note: z.string().optional().describe('Why the hold is lifted, kept on the record.'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  async run(args, ctx) {
    return release(ctx.db, { orderId: args.order_id, ...(args.note ? { note: args.note } : {}) }, ctx.actor);
  },
});
