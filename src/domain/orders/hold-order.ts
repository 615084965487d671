import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { transitionOrder } from './order-state-machine.js';

export interface HoldOrderArgs {
  orderId: string;
  reason: string;
}

/** Puts an order on hold so fulfilment skips it; the reason is kept on the order. */
export async function holdOrder(
  db: Db,
  args: HoldOrderArgs,
  actor: Actor,
): Promise<{ orderId: string; from: string; status: 'on_hold'; reason: string }> {
  const reason = args.reason.trim();
  if (!reason) throw new DomainError('invalid', 'hold_reason_required', 'a hold needs a reason');
  const { from } = await transitionOrder(db, args.orderId, {
    to: 'on_hold',
    actor,
    reason,
    set: { hold_reason: reason },
  });
  return { orderId: args.orderId, from, status: 'on_hold', reason };
}
