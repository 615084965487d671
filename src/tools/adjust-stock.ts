import { z } from 'zod';
import { adjustStock as adjust, type StockAdjustment } from '../domain/inventory/adjust-stock.js';
import { defineTool } from './tool.js';

export const adjustStock = defineTool({
  name: 'adjust_stock',
  description:
    'Corrects the on-hand stock of one SKU at one location by a signed number of units (negative for damage or shrinkage, positive for found stock), with a reason kept in the stock ledger. Stock held by open orders cannot be removed. Adjustments larger than the configured limit wait for a staff approval, in which case the call returns a pending approval.',
  tier: 'write',
  input: z.object({
    sku: z.string().min(1).describe('The variant SKU, as get_inventory shows it.'),
    location_id: z.string().min(1).describe('The location whose stock changes, as get_inventory lists it.'),
    quantity: z.number().int().refine((n) => n !== 0, 'must not be zero').describe('Units to add (positive) or remove (negative).'),
    reason: z.string().min(3).describe('Why the stock changes, for example "cycle count" or "water damage".'),
  }),
  policy(args, ctx) {
    const limit = ctx.config.APPROVAL_STOCK_ADJUST_THRESHOLD;
    return Math.abs(args.quantity) > limit ? `a change of ${args.quantity} units is above the approval limit of ${limit}` : null;
  },
  previewChanges(result) {
    const r = result as StockAdjustment;
    return [{ field: `stock ${r.sku} at ${r.location_id}`, before: r.on_hand_before, after: r.on_hand_after }];
  },
  async run(args, ctx) {
    return adjust(ctx.db, { sku: args.sku, locationId: args.location_id, quantity: args.quantity, reason: args.reason }, ctx.actor);
  },
});
