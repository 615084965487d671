import { z } from 'zod';
import { advisoryXactLock } from '../db/advisory-xact-lock.js';
import type { StockTransfer } from '../domain/inventory/stock-transfer.js';
import { transferStock as transfer } from '../domain/inventory/transfer-stock.js';
import { transferredQuantitySince } from '../domain/inventory/transferred-quantity-since.js';
import { runningTotalPolicy } from './running-total-policy.js';
import { defineTool } from './tool.js';

/** The approval limit counts every transfer of a SKU from a location within this many hours. */
const WINDOW_HOURS = 24;

const input = z.object({
  sku: z.string().min(1).describe('The variant SKU, as get_stock_by_location shows it.'),
  from_location_id: z.string().min(1).describe('Where the units leave from.'),
  to_location_id: z.string().min(1).describe('Where the units go.'),
  quantity: z.number().int().positive().describe('Units to send.'),
  reason: z.string().min(3).describe('Why, for example "rebalance ahead of the west coast sale".'),
});

export const transferStock = defineTool({
  name: 'transfer_stock',
  description:
    'Sends units of one SKU from one location to another. The units leave the source at once and are in transit (available nowhere) until the destination books them in. Reserved units cannot be sent. When the transfers of that SKU from that location within 24 hours (this one included) add up to more than the configured limit, the call waits for a staff approval and returns a pending approval.',
  tier: 'write',
  input,
  policy: runningTotalPolicy<z.output<typeof input>>({
    lock: (args, tx) => advisoryXactLock(tx, `stock transfers of ${args.sku} from ${args.from_location_id}`),
    limit: (config) => config.STOCK_TRANSFER_APPROVAL_UNITS,
    amount: (args) => args.quantity,
    recorded: (args, db) =>
      transferredQuantitySince(db, { sku: args.sku, fromLocationId: args.from_location_id, since: new Date(Date.now() - WINDOW_HOURS * 3_600_000) }),
    async waiting(args, waiting) {
      const pending = await waiting({ tool: 'transfer_stock', args: { sku: args.sku, from_location_id: args.from_location_id } });
      return pending.reduce((sum, a) => sum + Number(a.args.quantity), 0);
    },
    reason: (args, total, limit) =>
      `brings transfers of SKU ${args.sku} from ${args.from_location_id} in ${WINDOW_HOURS} h to ${total} units, over the ${limit}-unit limit`,
  }),
  previewChanges(result) {
    const t = result as StockTransfer;
    return [{ field: `transfer of ${t.sku}`, before: `${t.quantity} at ${t.from_location_id}`, after: `${t.quantity} in transit to ${t.to_location_id}` }];
  },
  async run(args, ctx) {
    return transfer(
      ctx.db,
      { sku: args.sku, fromLocationId: args.from_location_id, toLocationId: args.to_location_id, quantity: args.quantity, reason: args.reason },
      ctx.actor,
    );
  },
});
