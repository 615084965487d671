import { z } from 'zod';
import { listReconciliationRuns as read } from '../domain/sales-channels/list-reconciliation-runs.js';
import { defineTool } from './tool.js';

export const listReconciliationRuns = defineTool({
  name: 'list_reconciliation_runs',
  description:
    'Lists the latest reconciliation runs of the sales channels, newest first: when each ran, how far back it looked, how many channel orders it saw, how many the webhooks had missed and it caught (took into the ledger), their channel order ids, and any error. Use it to answer "did we miss any orders from Shopify?" or to check that reconciliation runs.',
  tier: 'read',
  input: z.object({
    channel: z.string().min(1).optional().describe('A sales channel, for example "shopify"; every channel when omitted.'),
    limit: z.number().int().min(1).max(100).optional().describe('How many runs to list; 20 when omitted.'),
  }),
  async run(args, ctx) {
    const runs = await read(ctx.db, { ...(args.channel ? { channel: args.channel } : {}), limit: args.limit ?? 20 });
    return { runs, caughtInTheseRuns: runs.reduce((n, r) => n + r.caught, 0) };
  },
});
