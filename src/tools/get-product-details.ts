import { z } from 'zod';
import { getProductDetails as loadProduct } from '../domain/catalog/catalog-repository.js';
import { DomainError } from '../domain/domain-error.js';
import { defineTool } from './tool.js';

export const getProductDetails = defineTool({
  name: 'get_product_details',
  description:
    'Returns a product with every variant: item_id, options (such as color and size), price and whether it is available. Use it to find the item_id of the variant a customer wants when modifying or exchanging items; only available variants of the same product can be chosen. Product ids and item ids are different things.',
  tier: 'read',
  input: z.object({
    product_id: z.string().min(1).describe('The product id (10 digits), from an order item or list_product_types.'),
  }),
  async run(args, ctx) {
    const product = await loadProduct(ctx.db, args.product_id.trim());
    if (!product) throw new DomainError('not_found', 'product_not_found', 'product not found');
    return product;
  },
});
