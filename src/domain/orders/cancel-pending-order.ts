import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { releaseReservationsForOrder } from '../inventory/release-reservations-for-order.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { appendPayments, type PaymentEntry } from '../payments/append-payment.js';
import { findCustomerPaymentMethod } from '../payments/payment-method-repository.js';
import { liveLabelRefusal } from '../shipping/live-label-refusal.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { transitionOrder } from './order-state-machine.js';
import { orderNotFound, paymentMethodNotFound } from './retail-operation-errors.js';

export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface CancelPendingOrderArgs {
  orderId: string;
  reason: string;
}

/**
 * Cancels a `pending` order: every ledger entry is mirrored by a refund to the same method
 * (existing refunds included, as the reference does after a payment-method change), gift cards
 * get their money back, stock reservations are released.
 */
export async function cancelPendingOrder(db: Db, args: CancelPendingOrderArgs, actor: Actor): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'pending') {
      throw new DomainError('conflict', 'order_not_pending', 'non-pending order cannot be cancelled');
    }
    if (!(CANCEL_REASONS as readonly string[]).includes(args.reason)) {
      throw new DomainError('invalid', 'invalid_cancel_reason', 'invalid reason');
    }
    const labelled = await liveLabelRefusal(tx, order.id);
    if (labelled) throw new DomainError('conflict', 'order_has_live_label', labelled);
    const refunds: PaymentEntry[] = order.payments.map((p) => ({
      kind: 'refund',
      amountCents: p.amountCents,
      paymentMethodId: p.paymentMethodId,
    }));
    const giftCards = new Set<string>();
    for (const id of new Set(refunds.map((r) => r.paymentMethodId))) {
      const method = await findCustomerPaymentMethod(tx, order.customerId, id, { forUpdate: true });
      if (!method) throw paymentMethodNotFound();
      if (method.source === 'gift_card') giftCards.add(id);
    }

    await appendPayments(tx, order.id, refunds, actor);
    for (const r of refunds) {
      if (giftCards.has(r.paymentMethodId)) {
        await adjustGiftCardBalance(tx, r.paymentMethodId, r.amountCents, actor, { orderId: order.id, reason: 'order cancelled' });
      }
    }
    await transitionOrder(tx, order.id, { to: 'cancelled', actor, reason: args.reason, set: { cancel_reason: args.reason } });
    await releaseReservationsForOrder(tx, order.id, actor, 'order cancelled');
    return (await loadOrder(tx, order.id))!;
  });
}
