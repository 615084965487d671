import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { findCustomerPaymentMethod } from '../payments/payment-method-repository.js';
import { firstMissingItem, orderItemIds } from './first-missing-item.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { transitionOrder } from './order-state-machine.js';
import { orderNotFound, paymentMethodNotFound } from './retail-operation-errors.js';

export interface ReturnDeliveredOrderItemsArgs {
  orderId: string;
  itemIds: string[];
  /** Where the refund will go: the original method or one of the customer's gift cards. */
  paymentMethodId: string;
}

/**
 * Opens a return for items of a `delivered` order. Nothing is refunded yet: the refund is made
 * when the items come back, to the method recorded here.
 */
export async function returnDeliveredOrderItems(db: Db, args: ReturnDeliveredOrderItemsArgs, actor: Actor): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'delivered') {
      throw new DomainError('conflict', 'order_not_delivered', 'non-delivered order cannot be returned');
    }
    const method = await findCustomerPaymentMethod(tx, order.customerId, args.paymentMethodId);
    if (!method) throw paymentMethodNotFound();
    if (method.source !== 'gift_card' && method.id !== order.payments[0]?.paymentMethodId) {
      throw new DomainError(
        'invalid',
        'refund_method_not_allowed',
        'payment method should be either the original payment method or a gift card',
      );
    }
    if (firstMissingItem(args.itemIds, orderItemIds(order.lines)) !== null) {
      throw new DomainError('invalid', 'item_not_in_order', 'some item not found');
    }
    await transitionOrder(tx, order.id, {
      to: 'return requested',
      actor,
      reason: 'return requested',
      set: { return_items: [...args.itemIds].sort(), return_payment_method_id: method.id },
    });
    return (await loadOrder(tx, order.id))!;
  });
}
