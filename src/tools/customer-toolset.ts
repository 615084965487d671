import type { Db } from '../db/db.js';
import { DomainError } from '../domain/domain-error.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { findCustomerPaymentMethod } from '../domain/payments/payment-method-repository.js';
import { CUSTOMER_TOOL_NAMES, OPS_TOOLS } from './all-tools.js';
import type { AgentTool } from './tool.js';
import { createToolset, type Toolset } from './toolset.js';

const notYours = (what: string) =>
  new DomainError('forbidden', 'not_your_record', `${what} is not on your account; I can only help with your own orders and details`);

/**
 * Refuses, before the tool runs, any argument that names a record of another customer: an order,
 * a payment method or a customer id. Missing records are refused the same way, so the answer
 * never tells whether someone else's order exists.
 */
async function assertOwnRecords(db: Db, customerId: string, args: Record<string, unknown>): Promise<void> {
  if (typeof args.customer_id === 'string' && args.customer_id !== customerId) throw notYours(`customer ${args.customer_id}`);
  if (typeof args.order_id === 'string' && (await loadOrder(db, args.order_id))?.customerId !== customerId) {
    throw notYours(`order ${args.order_id}`);
  }
  if (typeof args.payment_method_id === 'string' && !(await findCustomerPaymentMethod(db, customerId, args.payment_method_id))) {
    throw notYours(`payment method ${args.payment_method_id}`);
  }
}

function bindTool(tool: AgentTool, customerId: string): AgentTool {
  return {
    ...tool,
    async run(args, ctx) {
      const scoped = { ...ctx, persona: 'customer' as const, customerId };
      const own = { ...(args as Record<string, unknown>) };
      // Listing is always of the bound customer's orders, whatever filter the model asked for.
      if (tool.name === 'search_orders') own.customer_id = customerId;
      await assertOwnRecords(ctx.db, customerId, own);
      const result = await tool.run(own, scoped);
      if (tool.name === 'find_customer' && (result as { customer_id?: string }).customer_id !== customerId) {
        throw new DomainError('not_found', 'customer_not_found', 'user not found');
      }
      return result;
    },
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
