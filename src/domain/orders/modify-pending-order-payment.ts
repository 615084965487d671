import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { appendPayments } from '../payments/append-payment.js';
import { findCustomerPaymentMethod } from '../payments/payment-method-repository.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { orderNotFound, paymentMethodNotFound } from './retail-operation-errors.js';

export interface ModifyPendingOrderPaymentArgs {
  orderId: string;
  paymentMethodId: string;
}

/**
 * Moves the single payment of a `pending` order to another of the customer's methods: the new
 * method is charged the full amount and the old one refunded, gift card balances following.
 */
export async function modifyPendingOrderPayment(db: Db, args: ModifyPendingOrderPaymentArgs, actor: Actor): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'pending') throw new DomainError('conflict', 'order_not_pending', 'non-pending order cannot be modified');
    const method = await findCustomerPaymentMethod(tx, order.customerId, args.paymentMethodId, { forUpdate: true });
    if (!method) throw paymentMethodNotFound();
    const current = order.payments[0];
    if (!current || order.payments.length > 1 || current.kind !== 'payment') {
      throw new DomainError('conflict', 'not_single_payment', 'there should be exactly one payment for a pending order');
    }
    if (current.paymentMethodId === method.id) {
      throw new DomainError('invalid', 'same_payment_method', 'the new payment method should be different from the current one');
    }
    const amount = current.amountCents;
    if (method.source === 'gift_card' && (method.balanceCents ?? 0) < amount) {
      throw new DomainError('insufficient', 'insufficient_gift_card_balance', 'insufficient gift card balance to pay for the order');
    }
    const old = await findCustomerPaymentMethod(tx, order.customerId, current.paymentMethodId, { forUpdate: true });

    await appendPayments(
      tx,
      order.id,
      [
        { kind: 'payment', amountCents: amount, paymentMethodId: method.id },
        { kind: 'refund', amountCents: amount, paymentMethodId: current.paymentMethodId },
      ],
      actor,
    );
    if (method.source === 'gift_card') {
      await adjustGiftCardBalance(tx, method.id, -amount, actor, { orderId: order.id, reason: 'order payment moved to this card' });
    }
    if (old?.source === 'gift_card') {
      await adjustGiftCardBalance(tx, old.id, amount, actor, { orderId: order.id, reason: 'order payment moved off this card' });
    }
    return (await loadOrder(tx, order.id))!;
  });
}
