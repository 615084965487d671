import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { listOrderNotifications as listMessages } from '../notifications/list-order-notifications.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const listOrderNotifications = defineTool({
  name: 'list_order_notifications',
  description:
    "Lists the notifications (order confirmed, shipped, delayed, delivered...) sent or queued for an order, oldest first: message id, workflow, template, email or sms, the recipient masked, status (queued, sending, sent, delivered, undelivered, failed, suppressed), the error or the reason it was not sent, when it was created and sent, and which message a resend copied. Use it when someone says they never got an update; resend_notification sends one again.",
  tier: 'read',
  input: z.object({ order_id: orderIdArg }),
  async run(args, ctx) {
    const { rows } = await ctx.db.query('SELECT 1 FROM orders WHERE id = $1', [args.order_id]);
    if (!rows.length) throw new DomainError('not_found', 'order_not_found', `order ${args.order_id} not found`);
    return { order_id: args.order_id, notifications: await listMessages(ctx.db, args.order_id) };
  },
});
