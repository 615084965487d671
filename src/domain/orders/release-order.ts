import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { transitionOrder } from './order-state-machine.js';
import type { OrderStatus } from './order-status.js';

const RESUMABLE: readonly OrderStatus[] = ['pending', 'pending (item modified)', 'processed', 'exception'];

/**
 * Releases a held order back to the status it had when it was held (pending when that is
 * unknown), so fulfilment picks it up again.
 */
export async function releaseOrder(
  db: Db,
  args: { orderId: string; note?: string },
  actor: Actor,
): Promise<{ orderId: string; from: 'on_hold'; status: OrderStatus }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [args.orderId]);
    const order = rows[0];
    if (!order) throw new DomainError('not_found', 'order_not_found', `order ${args.orderId} not found`);
    if (order.status !== 'on_hold') {
      throw new DomainError('conflict', 'order_not_on_hold', `order ${args.orderId} is ${order.status}, not on hold`);
    }
    const held = await tx.query<{ from_status: string | null }>(
      `SELECT from_status FROM order_events WHERE order_id = $1 AND to_status = 'on_hold' ORDER BY id DESC LIMIT 1`,
      [args.orderId],
    );
    const previous = held.rows[0]?.from_status as OrderStatus | undefined;
    const to: OrderStatus = previous && RESUMABLE.includes(previous) ? previous : 'pending';
    await transitionOrder(tx, args.orderId, {
      to,
      actor,
      reason: args.note?.trim() || 'released from hold',
      set: { hold_reason: null },
    });
    // Fulfilment waits for this: a held order is never labelled, a released one may be.
    await writeOutbox(tx, 'order.released', { orderId: args.orderId, status: to });
    return { orderId: args.orderId, from: 'on_hold' as const, status: to };
  });
}
