import type { Db } from '../db/db.js';
import { getCustomerDetails } from '../domain/customers/customer-repository.js';
import { toCents, fromCents } from '../domain/money.js';
import { loadOrder, toRetailOrder } from '../domain/orders/order-repository.js';
import type { AgentTool, ToolContext } from '../tools/tool.js';
import type { ApprovalPreview, PreviewChange, PreviewMoney } from './approval-view.js';

class DryRunDone extends Error {
  constructor(readonly after: Snapshot, readonly result: unknown) {
    super('dry run rolled back');
  }
}

interface Snapshot {
  order: Record<string, unknown> | null;
  customer: Record<string, unknown> | null;
}

async function snapshot(db: Db, orderId?: string, customerId?: string): Promise<Snapshot> {
  const order = orderId ? await loadOrder(db, orderId) : null;
  const owner = customerId ?? order?.customerId;
  const customer = owner ? await getCustomerDetails(db, owner) : null;
  return {
    order: order ? (toRetailOrder(order) as unknown as Record<string, unknown>) : null,
    customer: customer ? (customer as unknown as Record<string, unknown>) : null,
  };
}

function diff(prefix: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): PreviewChange[] {
  if (!before || !after) return [];
  const changes: PreviewChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'payment_methods' || key === 'payment_history') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes.push({ field: `${prefix}.${key}`, before: before[key] ?? null, after: after[key] ?? null });
    }
  }
  return changes;
}

function moneyMoves(before: Snapshot, after: Snapshot): { money: PreviewMoney[]; balances: PreviewChange[] } {
  const money: PreviewMoney[] = [];
  const history = (s: Snapshot) =>
    ((s.order?.payment_history as { transaction_type: string; amount: number; payment_method_id: string }[]) ?? []);
  for (const entry of history(after).slice(history(before).length)) {
    money.push({
      amount: entry.amount,
      direction: entry.transaction_type === 'refund' ? 'refund' : 'charge',
      paymentMethodId: entry.payment_method_id,
    });
  }
  const balances: PreviewChange[] = [];
  const methods = (s: Snapshot) => (s.customer?.payment_methods as Record<string, { balance?: number }>) ?? {};
  for (const [id, m] of Object.entries(methods(after))) {
    const was = methods(before)[id]?.balance;
    if (m.balance !== undefined && was !== m.balance) balances.push({ field: `gift card ${id} balance`, before: was, after: m.balance });
  }
  return { money, balances };
}

function summarize(toolName: string, subject: string, changes: PreviewChange[], money: PreviewMoney[]): string {
  const parts = changes.map((c) =>
    c.field.endsWith('.status') ? `status ${String(c.before)} → ${String(c.after)}` : `${c.field.split('.').pop()} changes`,
  );
  const net = money.reduce((s, m) => s + (m.direction === 'refund' ? toCents(m.amount) : m.direction === 'charge' ? -toCents(m.amount) : 0), 0);
  if (money.length) parts.push(net >= 0 ? `refund ${fromCents(net).toFixed(2)}` : `charge ${fromCents(-net).toFixed(2)}`);
  return `${toolName} on ${subject}: ${parts.length ? parts.join('; ') : 'no visible change'}`;
}

/**
 * What the call would change, found by running it in a transaction that is always rolled back
 * and comparing the order and customer before and after. Nothing is written. A DomainError from
 * the dry run is rethrown: the action would fail, so there is nothing to approve.
 */
export async function previewToolCall(
  tool: AgentTool,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ApprovalPreview> {
  const subject = tool.subject?.(args) ?? {};
  if (tool.preview) return purePreview(tool, args, ctx, subject);
  const before = await snapshot(ctx.db, subject.orderId, subject.customerId);
  let outcome: DryRunDone;
  try {
    await ctx.db.transaction(async (tx) => {
      const result = await tool.run(args, { ...ctx, db: tx });
      throw new DryRunDone(await snapshot(tx, subject.orderId, subject.customerId), result);
    });
    throw new Error('dry run did not roll back');
  } catch (err) {
    if (!(err instanceof DryRunDone)) throw err;
    outcome = err;
  }
  const after = outcome.after;
  const { money, balances } = moneyMoves(before, after);
  const changes = [
    ...diff('order', before.order, after.order),
    ...diff('customer', before.customer, after.customer),
    ...balances,
    ...(tool.previewChanges?.(outcome.result) ?? []),
  ];
  const customerId = subject.customerId ?? (before.order?.user_id as string | undefined);
  const label = subject.orderId ? `order ${subject.orderId}` : customerId ? `customer ${customerId}` : 'the store';
  return {
    summary: summarize(tool.name, `${label}${customerId && subject.orderId ? ` (customer ${customerId})` : ''}`, changes, money),
    ...(subject.orderId ? { orderId: subject.orderId } : {}),
    ...(customerId ? { customerId } : {}),
    changes,
    money,
  };
}

/** A tool with an outside effect previews without running: its own quote, nothing dry-run. */
async function purePreview(
  tool: AgentTool,
  args: Record<string, unknown>,
  ctx: ToolContext,
  subject: { orderId?: string; customerId?: string },
): Promise<ApprovalPreview> {
  const pure = await tool.preview!(args, ctx);
  const order = subject.orderId ? await loadOrder(ctx.db, subject.orderId) : null;
  const customerId = subject.customerId ?? order?.customerId;
  return {
    summary: `${tool.name}: ${pure.summary}`,
    ...(subject.orderId ? { orderId: subject.orderId } : {}),
    ...(customerId ? { customerId } : {}),
    changes: pure.changes,
    money: pure.money ?? [],
  };
}
