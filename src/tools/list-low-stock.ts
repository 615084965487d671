import { z } from 'zod';
import { listLowStock as list } from '../anomaly/list-low-stock.js';
import { defineTool } from './tool.js';

export const listLowStock = defineTool({
  name: 'list_low_stock',
  description:
    'Lists the variants at active locations that run out first: those with few units available (at or below safety stock plus max_available) or with fewer days of cover than cover_days at the forecast daily demand. Shortest cover first, then fewest available. days_of_cover is null when there is not enough sales history to forecast. Use it when staff ask what is low, running out or about to sell out.',
  tier: 'read',
  input: z.object({
    max_available: z.number().int().min(0).max(1000).optional().describe('Units above safety stock still counted as low (default 5).'),
    cover_days: z.number().min(0).max(365).optional().describe('Cover shorter than this many days is low (default: the 7-day replenishment lead time).'),
    limit: z.number().int().min(1).max(100).optional().describe('At most this many items (default 20).'),
  }),
  async run(args, ctx) {
    return list(ctx.db, {
      ...(args.max_available !== undefined ? { maxAvailable: args.max_available } : {}),
      ...(args.cover_days !== undefined ? { coverDays: args.cover_days } : {}),
      ...(args.limit !== undefined ? { limit: args.limit } : {}),
    });
  },
});
