import { offlineReply } from './offline-templates.js';

/** A tool call and its result as the offline model reads them back from the conversation. */
export interface ToolOutcome {
  name: string;
  input: Record<string, unknown>;
  ok: boolean;
  data: any;
  error: string;
}

export const money = (n: number) => `$${n.toFixed(2)}`;

export function formatOptions(options: Record<string, string>): string {
  return Object.keys(options)
    .sort()
    .map((k) => `${k} ${options[k]}`)
    .join(', ');
}

export function formatAddress(a: Record<string, unknown>): string {
  return [a.address1, a.address2, a.city, `${a.state ?? ''} ${a.zip ?? ''}`.trim(), a.country]
    .map((p) => (typeof p === 'string' ? p.trim() : ''))
    .filter(Boolean)
    .join(', ');
}

type Item = { item_id: string; name: string; price: number; product_id: string; options: Record<string, string> };

/**
 * A change waiting for approval, in the customer's words ("cancel order #W1000004 and refund
 * $21.00"): built from the call and the order it was about, never from the approval's internal
 * summary, which names tools, customer ids and status codes.
 */
export function customerActionWords(acted: ToolOutcome, results: readonly ToolOutcome[]): string {
  const input = acted.input;
  const orderId = String(input.order_id ?? '');
  const order = results.findLast((r) => r.ok && r.name === 'get_order_details' && r.data?.order_id === orderId)?.data;
  const items: Item[] = order?.items ?? [];
  const ids = (key: string) => (Array.isArray(input[key]) ? (input[key] as unknown[]).map(String) : []);
  const chosen = items.filter((i) => ids('item_ids').includes(i.item_id));
  switch (acted.name) {
    case 'cancel_order':
      return offlineReply(order ? 'action_cancel' : 'action_cancel_no_total', { order_id: orderId, total: money(Number(order?.total ?? 0)) });
    case 'return_order_items': {
      const amount = chosen.reduce((s, i) => s + Math.round(i.price * 100), 0) / 100;
      return offlineReply('action_return', { items: chosen.map((i) => i.name).join(', ') || 'the items', order_id: orderId, amount: money(amount) });
    }
    case 'exchange_order_items': {
      const newIds = ids('new_item_ids');
      const variants = results.filter((r) => r.ok && r.name === 'get_product_details').flatMap((r) => Object.values(r.data?.variants ?? {})) as Item[];
      const newOptions = newIds.map((id) => variants.find((v) => v.item_id === id)).filter((v): v is Item => !!v).map((v) => formatOptions(v.options));
      return offlineReply('action_exchange', {
        items: chosen.map((i) => `${i.name} (${formatOptions(i.options)})`).join(', ') || 'the items',
        new_items: newOptions.join(', ') || 'the option you chose',
        order_id: orderId,
      });
    }
    case 'modify_order_address':
      return offlineReply('action_order_address', { order_id: orderId, address: formatAddress(input) });
    case 'modify_customer_address':
      return offlineReply('action_customer_address', { address: formatAddress(input) });
    default:
      return offlineReply('action_other');
  }
}
