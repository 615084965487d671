import { z } from 'zod';
import { applyInventoryRepairs, type AppliedRepair } from '../domain/inventory/apply-inventory-repairs.js';
import { defineTool } from './tool.js';

const level = { variant_id: z.string().min(1), location_id: z.string().min(1), quantity: z.number().int() };
const reservation = { reservation_id: z.number().int().positive(), order_id: z.string().min(1) };

const fix = z.discriminatedUnion('action', [
  z.object({ action: z.literal('record_missing_movement'), ...level, on_hand: z.number().int() }),
  z.object({ action: z.literal('count_to_zero'), ...level }),
  z.object({ action: z.literal('release_reservation'), ...reservation }),
  z.object({ action: z.literal('fulfil_reservation'), ...reservation }),
]);

export const repairInventory = defineTool({
  name: 'repair_inventory',
  description:
    'Applies the automatic fixes run_stock_check proposed, all of them or none, after a staff approval: records movements missing from the ledger, brings negative on hand to 0, releases reservations of gone or cancelled order lines, and closes reservations of shipped orders. Pass the fix objects of the findings as they were returned. A fix that is not the fix of a current finding, or no longer matches the data, refuses the whole repair; run the check again.',
  tier: 'approval',
  input: z.object({ fixes: z.array(fix).min(1).describe('The `fix` of each finding to repair, as run_stock_check returned them.') }),
  previewChanges(result) {
    return (result as AppliedRepair[]).map((a, i) => ({ field: `repair ${i + 1}`, before: a.fix.action, after: a.done }));
  },
  async run(args, ctx) {
    return applyInventoryRepairs(ctx.db, args.fixes, ctx.actor);
  },
});
