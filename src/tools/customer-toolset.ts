import type { Db } from '../db/db.js';
import { DomainError } from '../domain/domain-error.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { findCustomerPaymentMethod } from '../domain/payments/payment-method-repository.js';
import { notificationMessageOwner } from '../notifications/list-order-notifications.js';
import { CUSTOMER_TOOL_NAMES, OPS_TOOLS } from './all-tools.js';
import type { AgentTool, ToolContext } from './tool.js';
import { createToolset, type Toolset } from './toolset.js';

const notYours = (what: string) =>
  new DomainError('forbidden', 'not_your_record', `${what} is not on your account; I can only help with your own orders and details`);

/**
 * Refuses, before the tool runs, any argument that names a record of another customer: an order,
 * a payment method, a notification message or a customer id. Missing records are refused the
 * same way, so the answer never tells whether someone else's order exists.
 */
async function assertOwnRecords(db: Db, customerId: string, args: Record<string, unknown>): Promise<void> {
  if (typeof args.customer_id === 'string' && args.customer_id !== customerId) throw notYours(`customer ${args.customer_id}`);
  if (typeof args.order_id === 'string' && (await loadOrder(db, args.order_id))?.customerId !== customerId) {
    throw notYours(`order ${args.order_id}`);
  }
  if (typeof args.payment_method_id === 'string' && !(await findCustomerPaymentMethod(db, customerId, args.payment_method_id))) {
    throw notYours(`payment method ${args.payment_method_id}`);
  }
  if (typeof args.message_id === 'number' && (await notificationMessageOwner(db, args.message_id)) !== customerId) {
    throw notYours(`notification message ${args.message_id}`);
  }
}

/**
 * Every hook that reads the call's arguments gets them scoped and checked first: a pure preview
 * or a policy check reads records too, and would otherwise show another customer's order.
 */
function bindTool(tool: AgentTool, customerId: string): AgentTool {
  const scope = (ctx: ToolContext): ToolContext => ({ ...ctx, persona: 'customer', customerId });
  const own = async (args: unknown, ctx: ToolContext): Promise<Record<string, unknown>> => {
    const scoped = { ...(args as Record<string, unknown>) };
    // Listing is always of the bound customer's orders, whatever filter the model asked for.
    if (tool.name === 'search_orders') scoped.customer_id = customerId;
    await assertOwnRecords(ctx.db, customerId, scoped);
    return scoped;
  };
  const { preview, policy } = tool;
  return {
    ...tool,
    async run(args, ctx) {
      const result = await tool.run(await own(args, ctx), scope(ctx));
      if (tool.name === 'find_customer' && (result as { customer_id?: string }).customer_id !== customerId) {
        throw new DomainError('not_found', 'customer_not_found', 'user not found');
      }
      return result;
    },
    ...(preview && { preview: async (args, ctx) => preview(await own(args, ctx), scope(ctx)) }),
    ...(policy && {
      policy: {
        lock: (args, tx) => policy.lock(args, tx),
        check: async (args, ctx, waiting) => policy.check(await own(args, ctx), scope(ctx), waiting),
      },
    }),
  };
}

/**
 * The customer toolset, bound in code to one verified customer: every tool in it refuses any
 * order, payment method or customer record that is not that customer's, whatever the arguments say.
 */
export function customerToolset(customerId: string, tools: readonly AgentTool[] = OPS_TOOLS): Toolset {
  if (!customerId) throw new Error('a customer toolset needs a verified customer id');
  const chosen = CUSTOMER_TOOL_NAMES.map((name) => {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new Error(`customer tool ${name} is not registered`);
    return bindTool(tool, customerId);
  });
  return createToolset('customer', chosen, customerId);
}
