import type { Db } from '../../db/db.js';
import { getCustomerDetails } from '../../domain/customers/customer-repository.js';
import { isDomainError } from '../../domain/domain-error.js';
import { getInventoryBySku } from '../../domain/inventory/get-inventory-by-sku.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import { customerCardMessage } from './blocks/customer-card.js';
import { orderCardMessage } from './blocks/order-card.js';
import { stockCardMessage } from './blocks/stock-card.js';
import type { SlackMessage } from './blocks/slack-message.js';

const MAX_CARDS = 3;
const ORDER_ID = /#W\d{7}\b/g;

interface ToolCallLike {
  name?: string;
  input?: Record<string, unknown>;
  args?: Record<string, unknown>;
}

/**
 * Compact cards for the records a reply is about: the orders, customers and SKUs the turn looked
 * up with tools (when the turn reports their inputs) and the order ids the reply mentions.
 * Records that no longer exist are skipped; cards are an addition to the text, never required.
 */
export async function cardsForReply(db: Db, reply: string, toolCalls: unknown): Promise<SlackMessage[]> {
  const orders = new Set<string>();
  const customers = new Set<string>();
  const skus = new Set<string>();
  const calls = Array.isArray(toolCalls) ? (toolCalls as ToolCallLike[]) : [];
  for (const call of calls) {
    const input = call.input ?? call.args ?? {};
    const name = call.name ?? '';
    if (typeof input.order_id === 'string' && /order/.test(name)) orders.add(input.order_id);
    if (typeof input.user_id === 'string' && /user|customer/.test(name)) customers.add(input.user_id);
    if (typeof input.sku === 'string' && /stock|inventory/.test(name)) skus.add(input.sku);
  }
  for (const m of reply.matchAll(ORDER_ID)) orders.add(m[0]);

  const cards: SlackMessage[] = [];
  for (const id of orders) {
    if (cards.length >= MAX_CARDS) break;
    const order = await loadOrder(db, id);
    if (order) cards.push(orderCardMessage(order));
  }
  for (const id of customers) {
    if (cards.length >= MAX_CARDS) break;
    const customer = await getCustomerDetails(db, id);
    if (customer) cards.push(customerCardMessage(id, customer));
  }
  for (const sku of skus) {
    if (cards.length >= MAX_CARDS) break;
    try {
      cards.push(stockCardMessage([await getInventoryBySku(db, sku)]));
    } catch (err) {
      if (!isDomainError(err)) throw err;
    }
  }
  return cards;
}
