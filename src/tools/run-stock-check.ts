import { z } from 'zod';
import { checkInventoryIntegrity } from '../domain/inventory/check-inventory-integrity.js';
import { defineTool } from './tool.js';

export const runStockCheck = defineTool({
  name: 'run_stock_check',
  description:
    'Checks stock for disagreements between levels, the movements ledger, reservations, orders and transfers: negative on hand, on hand that differs from the sum of its movements, reservations whose order line is gone or changed, reservations still held for cancelled or shipped orders, more reserved than on hand, and transfers stuck in transit. Each finding says what, where, by how many units and the proposed fix; repair_inventory applies the fixes that can be automated, after approval.',
  tier: 'read',
  input: z.object({}),
  async run(_args, ctx) {
    const findings = await checkInventoryIntegrity(ctx.db, { stuckTransferDays: ctx.config.INVENTORY_STUCK_TRANSFER_DAYS });
    return { count: findings.length, findings };
  },
});
