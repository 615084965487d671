import type { PreviewMoney } from '../approval-view.js';
import { customerChangeWords } from '../customer-change-words.js';

export { formatAddress } from '../customer-change-words.js';

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

type Item = { item_id: string; name: string; price: number; product_id: string; options: Record<string, string> };

/** A change waiting for approval, in the customer's words, with the money and items read from the order it is about. */
export function customerActionWords(acted: ToolOutcome, results: readonly ToolOutcome[]): string {
  const input = acted.input;
  const orderId = String(input.order_id ?? '');
  const order = results.findLast((r) => r.ok && r.name === 'get_order_details' && r.data?.order_id === orderId)?.data;
  const items: Item[] = order?.items ?? [];
  const ids = (key: string) => (Array.isArray(input[key]) ? (input[key] as unknown[]).map(String) : []);
  const chosen = items.filter((i) => ids('item_ids').includes(i.item_id));
  const variants = results.filter((r) => r.ok && r.name === 'get_product_details').flatMap((r) => Object.values(r.data?.variants ?? {})) as Item[];
  const newItems = ids('new_item_ids').flatMap((id) => variants.filter((v) => v.item_id === id).map((v) => formatOptions(v.options)));
  const refund = (amount: number): PreviewMoney[] => [{ amount, direction: 'refund' }];
  const money =
    acted.name === 'cancel_order' && order
      ? refund(Number(order.total ?? 0))
      : acted.name === 'return_order_items'
        ? refund(chosen.reduce((s, i) => s + Math.round(i.price * 100), 0) / 100)
        : undefined;
  const exchange = acted.name === 'exchange_order_items' || acted.name === 'modify_order_items';
  return customerChangeWords({
    tool: acted.name,
    args: input,
    ...(money ? { money } : {}),
    items: chosen.map((i) => (exchange ? `${i.name} (${formatOptions(i.options)})` : i.name)),
    newItems,
  });
}
