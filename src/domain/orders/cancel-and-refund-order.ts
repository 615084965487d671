import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { releaseReservationsForOrder } from '../inventory/release-reservations-for-order.js';
import { fromCents, type Cents } from '../money.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { appendPayments } from '../payments/append-payment.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { liveLabelRefusal } from '../shipping/live-label-refusal.js';
import { transitionOrder, transitionRefusal } from './order-state-machine.js';

export interface CancelAndRefundResult {
  orderId: string;
  from: string;
  status: 'cancelled';
  refunds: { paymentMethodId: string; amount: number }[];
  releasedUnits: number;
}

/** What each payment method has paid on the order, net of refunds already made. */
export function netPaidByMethod(order: Pick<OrderRecord, 'payments'>): Map<string, Cents> {
  const net = new Map<string, Cents>();
  for (const p of order.payments) {
    net.set(p.paymentMethodId, (net.get(p.paymentMethodId) ?? 0) + (p.kind === 'payment' ? p.amountCents : -p.amountCents));
  }
  return net;
}

/**
 * The staff cancellation: any order the state machine lets become cancelled (pending, held,
 * processed, in exception) is cancelled, every method is refunded what it paid net of earlier
 * refunds, and the stock it held is released. Unlike the customer-facing cancel of a pending
 * order, the reason is free text (for example "suspected fraud").
 */
export async function cancelAndRefundOrder(
  db: Db,
  args: { orderId: string; reason: string },
  actor: Actor,
): Promise<CancelAndRefundResult> {
  const reason = args.reason.trim();
  if (!reason) throw new DomainError('invalid', 'cancel_reason_required', 'a cancellation needs a reason');
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw new DomainError('not_found', 'order_not_found', `order ${args.orderId} not found`);
    const labelled = await liveLabelRefusal(tx, order.id);
    if (labelled) throw new DomainError('conflict', 'order_has_live_label', labelled);
    const refusal = transitionRefusal(order.status, 'cancelled');
    if (refusal) throw new DomainError('conflict', 'illegal_transition', `order ${order.id}: ${refusal}`);

    const refunds = [...netPaidByMethod(order)].filter(([, cents]) => cents > 0);
    await appendPayments(
      tx,
      order.id,
      refunds.map(([paymentMethodId, amountCents]) => ({ kind: 'refund' as const, amountCents, paymentMethodId })),
      actor,
    );
    for (const [methodId, cents] of refunds) {
      const { rows } = await tx.query<{ source: string }>('SELECT source FROM payment_methods WHERE id = $1', [methodId]);
      if (rows[0]?.source === 'gift_card') {
        await adjustGiftCardBalance(tx, methodId, cents, actor, { orderId: order.id, reason: `cancelled: ${reason}` });
      }
    }
    const released = await releaseReservationsForOrder(tx, order.id, actor, `cancelled: ${reason}`);
    await transitionOrder(tx, order.id, { to: 'cancelled', actor, reason, set: { cancel_reason: reason, hold_reason: null } });
    return {
      orderId: order.id,
      from: order.status,
      status: 'cancelled' as const,
      refunds: refunds.map(([paymentMethodId, cents]) => ({ paymentMethodId, amount: fromCents(cents) })),
      releasedUnits: released.reduce((n, r) => n + r.quantity, 0),
    };
  });
}
