import { z } from 'zod';
import { getVariant } from '../domain/catalog/catalog-repository.js';
import { DomainError } from '../domain/domain-error.js';
import { getInventoryBySku } from '../domain/inventory/get-inventory-by-sku.js';
import { defineTool } from './tool.js';

export const getInventory = defineTool({
  name: 'get_inventory',
  description:
    'Returns the stock of one product variant at every location: on hand, reserved by open orders, and available (on hand minus reserved), plus totals. Give the SKU or the item_id of the variant (get_product_details lists item ids).',
  tier: 'read',
  input: z
    .object({
      sku: z.string().optional().describe('The variant SKU.'),
      item_id: z.string().optional().describe('The variant item id, for example "7706410293".'),
    })
    .refine((a) => a.sku || a.item_id, { message: 'give sku or item_id' }),
  async run(args, ctx) {
    let sku = args.sku?.trim();
    if (!sku) {
      const variant = await getVariant(ctx.db, args.item_id!.trim());
      if (!variant) throw new DomainError('not_found', 'item_not_found', `item ${args.item_id} not found`);
      sku = variant.sku;
    }
    return getInventoryBySku(ctx.db, sku);
  },
});
