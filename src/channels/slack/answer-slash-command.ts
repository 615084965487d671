import type { Db } from '../../db/db.js';
import { isDomainError } from '../../domain/domain-error.js';
import { getInventoryBySku, type InventoryBySku } from '../../domain/inventory/get-inventory-by-sku.js';
import { loadOrder, searchOrders } from '../../domain/orders/order-repository.js';
import { helpMessage } from './blocks/help-message.js';
import { heldOrdersMessage, pendingApprovalsMessage } from './blocks/list-messages.js';
import { orderCardMessage } from './blocks/order-card.js';
import { section } from './blocks/layout-blocks.js';
import type { SlackMessage } from './blocks/slack-message.js';
import { stockCardMessage } from './blocks/stock-card.js';
import { findSkusByProductName } from './find-skus-by-product-name.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';

const notice = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

/**
 * Answers `/orderops <subcommand>` straight from the database, without the model, fast enough
 * to go back in the command's acknowledgement.
 */
export async function answerSlashCommand(deps: { db: Db; approvals: SlackApprovalsPort }, text: string): Promise<SlackMessage> {
  const [sub = 'help', ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const arg = rest.join(' ');
  switch (sub.toLowerCase()) {
    case 'help':
      return helpMessage();
    case 'order': {
      if (!arg) return notice('Which order? Usage: `/orderops order <order id>`');
      const id = arg.startsWith('#') || !/^W\d+$/.test(arg) ? arg : `#${arg}`;
      const order = await loadOrder(deps.db, id);
      return order ? orderCardMessage(order) : notice(`No order ${id}.`);
    }
    case 'stock': {
      if (!arg) return notice('Which SKU or product? Usage: `/orderops stock <sku or name>`');
      const stocks: InventoryBySku[] = [];
      try {
        stocks.push(await getInventoryBySku(deps.db, arg));
      } catch (err) {
        if (!isDomainError(err)) throw err;
        for (const sku of await findSkusByProductName(deps.db, arg)) stocks.push(await getInventoryBySku(deps.db, sku));
      }
      return stocks.length ? stockCardMessage(stocks) : notice(`No SKU or product matches "${arg}".`);
    }
    case 'held':
      return heldOrdersMessage(await searchOrders(deps.db, { status: 'on_hold', limit: 100 }));
    case 'approvals':
      return pendingApprovalsMessage(await deps.approvals.listApprovals({ status: 'pending', limit: 50 }));
    default:
      return helpMessage(`I don't know \`${sub}\`. Here is what I can do:`);
  }
}
