import { getInventoryBySku } from '../../domain/inventory/get-inventory-by-sku.js';
import type { RoutePlugin } from '../route-plugin.js';

export const inventoryRoutes: RoutePlugin = (app, { db }) => {
  app.get<{ Params: { sku: string } }>('/api/inventory/:sku', async (request) => ({
    inventory: await getInventoryBySku(db, request.params.sku),
  }));
};
