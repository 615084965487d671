import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { centsToNumeric, fromCents, toCents } from '../money.js';
import { loadOrder } from '../orders/order-repository.js';
import { refundableCents, refundOrder } from '../payments/refund-order.js';

export interface ChannelRefund {
  channel: string;
  externalRefundId: string;
  orderId: string;
  /** What the channel refunded, in currency units. */
  amount: number;
  note: string | null;
}

/**
 * Records a refund the storefront made, once per channel refund id: the payment ledger gets a
 * refund of the amount, capped at what the order still has refundable (a cancellation here may
 * already have refunded it). `duplicate` is true when the refund id was recorded before.
 */
export async function recordChannelRefund(
  db: Db,
  r: ChannelRefund,
  actor: Actor,
): Promise<{ duplicate: boolean; recorded: number }> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, r.orderId, { forUpdate: true });
    if (!order) throw new Error(`order ${r.orderId} not found`);
    const requested = toCents(r.amount);
    const recorded = Math.max(0, Math.min(requested, refundableCents(order)));
    const { rows } = await tx.query<{ order_id: string }>(
      `INSERT INTO channel_refunds (channel, external_refund_id, order_id, amount, recorded_amount, note)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, external_refund_id) DO NOTHING RETURNING order_id`,
      [r.channel, r.externalRefundId, r.orderId, centsToNumeric(requested), centsToNumeric(recorded), r.note],
    );
    if (rows.length === 0) return { duplicate: true, recorded: 0 };
    if (recorded > 0) {
      await refundOrder(
        tx,
        { orderId: r.orderId, amount: fromCents(recorded), reason: `${r.channel} refund ${r.externalRefundId}${r.note ? `: ${r.note}` : ''}` },
        actor,
      );
    }
    return { duplicate: false, recorded: fromCents(recorded) };
  });
}
