import { z } from 'zod';
import { searchOrders as findOrders } from '../domain/orders/order-repository.js';
import { ORDER_STATUSES } from '../domain/orders/order-status.js';
import { orderSummary } from './order-view.js';
import { defineTool } from './tool.js';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be a date such as 2024-05-01' });

export const searchOrders = defineTool({
  name: 'search_orders',
  description:
    'Lists orders matching every filter given, newest first, one short line each (id, customer, status, channel, placed date, total, item names, hold reason). Use it for questions such as "which orders are on hold", "orders from Shopify this week" or "this customer\'s pending orders". For the full order, call get_order_details.',
  tier: 'read',
  input: z.object({
    status: z.enum(ORDER_STATUSES).optional().describe('Only orders in this status, for example "on_hold" or "pending".'),
    customer_id: z.string().optional().describe('Only orders of this customer.'),
    channel: z.string().optional().describe('Only orders from this sales channel, for example "shopify" or "api".'),
    placed_from: isoDate.optional().describe('Only orders placed on or after this date (ISO 8601).'),
    placed_to: isoDate.optional().describe('Only orders placed before this date (ISO 8601).'),
    limit: z.number().int().min(1).max(100).default(20).describe('How many orders at most (1-100, default 20).'),
  }),
  async run(args, ctx) {
    const orders = await findOrders(ctx.db, {
      ...(args.status ? { status: args.status } : {}),
      ...(args.customer_id ? { customerId: args.customer_id } : {}),
      ...(args.channel ? { channel: args.channel } : {}),
      ...(args.placed_from ? { from: new Date(args.placed_from) } : {}),
      ...(args.placed_to ? { to: new Date(args.placed_to) } : {}),
      limit: args.limit,
    });
    return { count: orders.length, orders: orders.map(orderSummary) };
  },
});
