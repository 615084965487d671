import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { fromCents, toCents, type Cents } from '../money.js';
import { loadOrder, type OrderRecord } from '../orders/order-repository.js';
import { orderNotFound, paymentMethodNotFound } from '../orders/retail-operation-errors.js';
import { adjustGiftCardBalance } from './adjust-gift-card-balance.js';
import { appendPayments } from './append-payment.js';
import { findCustomerPaymentMethod } from './payment-method-repository.js';

export interface RefundOrderArgs {
  orderId: string;
  /** Currency units; the whole refundable balance when omitted. */
  amount?: number;
  /** Defaults to the method of the order's first payment. Must belong to the order's customer. */
  paymentMethodId?: string;
  reason: string;
}

export interface RefundOrderResult {
  orderId: string;
  refunded: number;
  paymentMethodId: string;
  refundableBefore: number;
  refundableAfter: number;
  giftCardBalance?: number;
}

/** What an order can still have refunded: its payments minus its refunds. */
export function refundableCents(order: Pick<OrderRecord, 'payments'>): Cents {
  return order.payments.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amountCents : -p.amountCents), 0);
}

/**
 * Appends a refund to the order's payment ledger, partial or full. A refund to a gift card is
 * credited to its balance at once; other methods settle outside orderops. The status does not
 * change: refunding is about money, cancelling or returning is about the goods.
 */
export async function refundOrder(db: Db, args: RefundOrderArgs, actor: Actor): Promise<RefundOrderResult> {
  const reason = args.reason.trim();
  if (!reason) throw new DomainError('invalid', 'refund_reason_required', 'a refund needs a reason');
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    const refundable = refundableCents(order);
    const amount = args.amount === undefined ? refundable : toCents(args.amount);
    if (amount <= 0) {
      throw new DomainError(
        'invalid',
        'refund_amount_invalid',
        refundable <= 0 ? `order ${order.id} has nothing left to refund` : `order ${order.id}: refund amount must be above zero`,
      );
    }
    if (amount > refundable) {
      throw new DomainError(
        'insufficient',
        'refund_exceeds_paid',
        `order ${order.id}: cannot refund ${fromCents(amount)}, only ${fromCents(refundable)} is refundable`,
      );
    }
    const methodId = args.paymentMethodId ?? order.payments.find((p) => p.kind === 'payment')?.paymentMethodId;
    if (!methodId) throw new DomainError('invalid', 'no_payment', `order ${order.id} has no payment to refund`);
    const method = await findCustomerPaymentMethod(tx, order.customerId, methodId, { forUpdate: true });
    if (!method) throw paymentMethodNotFound();

    await appendPayments(tx, order.id, [{ kind: 'refund', amountCents: amount, paymentMethodId: methodId }], actor);
    let giftCardBalance: number | undefined;
    if (method.source === 'gift_card') {
      giftCardBalance = fromCents(
        await adjustGiftCardBalance(tx, methodId, amount, actor, { orderId: order.id, reason: `refund: ${reason}` }),
      );
    }
    return {
      orderId: order.id,
      refunded: fromCents(amount),
      paymentMethodId: methodId,
      refundableBefore: fromCents(refundable),
      refundableAfter: fromCents(refundable - amount),
      ...(giftCardBalance !== undefined ? { giftCardBalance } : {}),
    };
  });
}
