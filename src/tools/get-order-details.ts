import { z } from 'zod';
import { loadOrder } from '../domain/orders/order-repository.js';
import { orderNotFound } from '../domain/orders/retail-operation-errors.js';
import { orderIdArg } from './order-id-arg.js';
import { orderView } from './order-view.js';
import { defineTool } from './tool.js';

export const getOrderDetails = defineTool({
  name: 'get_order_details',
  description:
    'Returns one order: status, shipping address, items (with item_id, product_id, price, options), shipments with tracking ids and carrier status, payment history, total, and any hold reason. Check the status here before proposing a cancel, modification, return or exchange.',
  tier: 'read',
  input: z.object({ order_id: orderIdArg }),
  async run(args, ctx) {
    const order = await loadOrder(ctx.db, args.order_id);
    if (!order) throw orderNotFound();
    return orderView(order);
  },
});
