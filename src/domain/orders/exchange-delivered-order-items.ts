import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { getVariant } from '../catalog/catalog-repository.js';
import { DomainError } from '../domain-error.js';
import { centsToNumeric, type Cents } from '../money.js';
import { findCustomerPaymentMethod } from '../payments/payment-method-repository.js';
import { firstMissingItem, orderItemIds } from './first-missing-item.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { transitionOrder } from './order-state-machine.js';
import { itemNotFound, itemsCountMismatch, newItemUnavailable, orderNotFound, paymentMethodNotFound } from './retail-operation-errors.js';

export interface ExchangeDeliveredOrderItemsArgs {
  orderId: string;
  itemIds: string[];
  /** Available variants of the same products; `itemIds[i]` is exchanged for `newItemIds[i]`. */
  newItemIds: string[];
  /** Settles the price difference when the exchange is processed. */
  paymentMethodId: string;
}

/**
 * Opens an exchange for items of a `delivered` order. Items, payments and balances stay as they
 * are until the exchange is processed; the order records what will be swapped and the price
 * difference (negative when the customer gets money back).
 */
export async function exchangeDeliveredOrderItems(db: Db, args: ExchangeDeliveredOrderItemsArgs, actor: Actor): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'delivered') {
      throw new DomainError('conflict', 'order_not_delivered', 'non-delivered order cannot be exchanged');
    }
    const missing = firstMissingItem(args.itemIds, orderItemIds(order.lines));
    if (missing !== null) throw itemNotFound(missing);
    if (args.itemIds.length !== args.newItemIds.length) throw itemsCountMismatch();
    let diff: Cents = 0;
    for (let i = 0; i < args.itemIds.length; i++) {
      const line = order.lines.find((l) => l.variantId === args.itemIds[i])!;
      const variant = await getVariant(tx, args.newItemIds[i]!);
      if (!variant || variant.productId !== line.productId || !variant.available) throw newItemUnavailable(args.newItemIds[i]!);
      diff += variant.priceCents - line.priceCents;
    }
    const method = await findCustomerPaymentMethod(tx, order.customerId, args.paymentMethodId);
    if (!method) throw paymentMethodNotFound();
    if (method.source === 'gift_card' && (method.balanceCents ?? 0) < diff) {
      throw new DomainError(
        'insufficient',
        'insufficient_gift_card_balance',
        'insufficient gift card balance to pay for the price difference',
      );
    }
    await transitionOrder(tx, order.id, {
      to: 'exchange requested',
      actor,
      reason: 'exchange requested',
      set: {
        exchange_items: [...args.itemIds].sort(),
        exchange_new_items: [...args.newItemIds].sort(),
        exchange_payment_method_id: method.id,
        exchange_price_difference: centsToNumeric(diff),
      },
    });
    return (await loadOrder(tx, order.id))!;
  });
}
