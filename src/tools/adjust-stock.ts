import { z } from 'zod';
import { adjustStock as adjust, type StockAdjustment } from '../domain/inventory/adjust-stock.js';
import { advisoryXactLock } from '../db/advisory-xact-lock.js';
import { adjustedQuantitySince } from '../domain/inventory/adjusted-quantity-since.js';
import { runningTotalPolicy } from './running-total-policy.js';
import { defineTool } from './tool.js';

/** The approval limit counts every adjustment of a SKU at a location within this many hours. */
const WINDOW_HOURS = 24;

const input = z.object({
  sku: z.string().min(1).describe('The variant SKU, as get_inventory shows it.'),
  location_id: z.string().min(1).describe('The location whose stock changes, as get_inventory lists it.'),
  quantity: z.number().int().refine((n) => n !== 0, 'must not be zero').describe('Units to add (positive) or remove (negative).'),
  reason: z.string().min(3).describe('Why the stock changes, for example "cycle count" or "water damage".'),
});

export const adjustStock = defineTool({
  name: 'adjust_stock',
  description:
    'Corrects the on-hand stock of one SKU at one location by a signed number of units (negative for damage or shrinkage, positive for found stock), with a reason kept in the stock ledger. Stock held by open orders cannot be removed. When the adjustments of that SKU at that location within 24 hours (this one included) add up to more than the configured limit, the call waits for a staff approval and returns a pending approval.',
  tier: 'write',
  input,
  policy: runningTotalPolicy<z.output<typeof input>>({
    lock: (args, tx) => advisoryXactLock(tx, `stock adjustments of ${args.sku} at ${args.location_id}`),
    limit: (config) => config.APPROVAL_STOCK_ADJUST_THRESHOLD,
    amount: (args) => Math.abs(args.quantity),
    recorded: (args, db) =>
      adjustedQuantitySince(db, { sku: args.sku, locationId: args.location_id, since: new Date(Date.now() - WINDOW_HOURS * 3_600_000) }),
    async waiting(args, waiting) {
      const pending = await waiting({ tool: 'adjust_stock', args: { sku: args.sku, location_id: args.location_id } });
      return pending.reduce((sum, a) => sum + Math.abs(Number(a.args.quantity)), 0);
    },
    reason: (args, total, limit) =>
      `brings adjustments of SKU ${args.sku} at ${args.location_id} in ${WINDOW_HOURS} h to ${total} units, over the ${limit}-unit limit`,
  }),
  previewChanges(result) {
    const r = result as StockAdjustment;
    return [{ field: `stock ${r.sku} at ${r.location_id}`, before: r.on_hand_before, after: r.on_hand_after }];
  },
  async run(args, ctx) {
    return adjust(ctx.db, { sku: args.sku, locationId: args.location_id, quantity: args.quantity, reason: args.reason }, ctx.actor);
  },
});
