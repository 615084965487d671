import { z } from 'zod';
import { listProductTypes as loadProductTypes } from '../domain/catalog/catalog-repository.js';
import { defineTool } from './tool.js';

export const listProductTypes = defineTool({
  name: 'list_product_types',
  description:
    'Lists every product the store sells as product name → product id, sorted by name. Use it when someone names a product (for example "the desk lamp") and you need its product id.',
  tier: 'read',
  input: z.object({}),
  async run(_args, ctx) {
    return loadProductTypes(ctx.db);
  },
});
