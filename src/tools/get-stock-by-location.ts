import { z } from 'zod';
import { getStockByLocation as read } from '../domain/inventory/get-stock-by-location.js';
import { defineTool } from './tool.js';

export const getStockByLocation = defineTool({
  name: 'get_stock_by_location',
  description:
    'Returns stock per variant and location for one SKU, one location, or both: on hand, reserved by open orders, available (on hand minus reserved), promisable (available minus the safety stock kept back), safety stock, and units in transit to that location by open transfers. Use it before transfer_stock to see where stock is. Lists at most 200 rows; truncated says when there were more.',
  tier: 'read',
  input: z
    .object({
      sku: z.string().min(1).optional().describe('The variant SKU.'),
      location_id: z.string().min(1).optional().describe('A location id, for example "loc-east-wh".'),
    })
    .refine((a) => a.sku || a.location_id, { message: 'give sku, location_id, or both' }),
  async run(args, ctx) {
    return read(ctx.db, { ...(args.sku ? { sku: args.sku } : {}), ...(args.location_id ? { locationId: args.location_id } : {}) });
  },
});
