import type { PreviewMoney } from './approval-view.js';
import { fillSlots, loadPromptSections } from './prompt-library.js';

/** A requested change, as far as the customer-facing words need it. */
export interface CustomerChange {
  tool: string;
  args: Record<string, unknown>;
  /** The money the change moves (refunds positive), from the approval preview or the order. */
  money?: readonly PreviewMoney[];
  /** Names of the items the change is about, when known. */
  items?: readonly string[];
  /** The new options chosen for an exchange or item change, when known. */
  newItems?: readonly string[];
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

export function formatAddress(a: Record<string, unknown>): string {
  return [a.address1, a.address2, a.city, `${a.state ?? ''} ${a.zip ?? ''}`.trim(), a.country]
    .map((p) => (typeof p === 'string' ? p.trim() : ''))
    .filter(Boolean)
    .join(', ');
}

/**
 * A change waiting for approval in the customer's words ("cancel order #W1000004 and refund
 * $21.00"). The approval's own summary is written for staff (tool names, customer ids, status
 * codes) and never goes to a customer; this is built from the call itself.
 */
export function customerChangeWords(change: CustomerChange): string {
  const texts = loadPromptSections('customer-change-words');
  const say = (name: string, slots: Record<string, string | number> = {}) => fillSlots(texts.get(name) ?? texts.get('other')!, slots);
  const orderId = String(change.args.order_id ?? '');
  const cents = (change.money ?? []).reduce((s, m) => s + Math.round(m.amount * 100) * (m.direction === 'refund' ? 1 : m.direction === 'charge' ? -1 : 0), 0);
  const items = change.items?.length ? change.items.join(', ') : say('some_items');
  switch (change.tool) {
    case 'cancel_order':
      return change.money?.length ? say('cancel_order', { order_id: orderId, amount: dollars(cents / 100) }) : say('cancel_order_no_amount', { order_id: orderId });
    case 'return_order_items':
      return say('return_order_items', { items, order_id: orderId, amount: dollars(Math.max(cents, 0) / 100) });
    case 'exchange_order_items':
    case 'modify_order_items':
      return say(change.tool, { items, new_items: change.newItems?.length ? change.newItems.join(', ') : say('other'), order_id: orderId });
    case 'modify_order_address':
      return say('modify_order_address', { order_id: orderId, address: formatAddress(change.args) });
    case 'modify_order_payment':
      return say('modify_order_payment', { order_id: orderId });
    case 'modify_customer_address':
      return say('modify_customer_address', { address: formatAddress(change.args) });
    default:
      return say('other');
  }
}

/** The change an approval asks for, with the money its preview showed. */
export function changeOf(approval: { tool: string; args: Record<string, unknown>; preview: { money: readonly PreviewMoney[] } }): CustomerChange {
  return { tool: approval.tool, args: approval.args, money: approval.preview.money };
}
