import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { writeOutbox } from '../events/write-outbox.js';
import { ORDER_TRANSITIONS, isOrderStatus, type OrderStatus } from './order-status.js';

/**
 * Why `from` cannot become `to`, or null when the table allows it. A reason, not an exception,
 * so a caller (an agent tool, an API handler) can hand it on as it is.
 */
export function transitionRefusal(from: string, to: string): string | null {
  if (!isOrderStatus(to)) return `"${to}" is not an order status`;
  if (!isOrderStatus(from)) return `the order has an unknown status "${from}"`;
  if (from === to) return `the order is already ${from}`;
  if (!ORDER_TRANSITIONS[from].includes(to)) {
    const allowed = ORDER_TRANSITIONS[from];
    return allowed.length === 0
      ? `a ${from} order cannot change status`
      : `a ${from} order cannot become ${to} (it can become: ${allowed.join(', ')})`;
  }
  return null;
}

export interface TransitionRequest {
  to: OrderStatus;
  actor: Actor;
  reason?: string;
  /** Extra columns that change with the status, such as cancel_reason or hold_reason. */
  set?: Record<string, unknown>;
}

const SETTABLE_WITH_STATUS = new Set([
  'cancel_reason',
  'hold_reason',
  'return_items',
  'return_payment_method_id',
  'exchange_items',
  'exchange_new_items',
  'exchange_payment_method_id',
  'exchange_price_difference',
]);

/**
 * The only writer of `orders.status`. Locks the order, checks the transition table, then writes
 * the status, the order event, the `order.status_changed` outbox event and the audit row in the
 * caller's transaction (or its own).
 * Throws a DomainError carrying the refusal reason; a refused transition writes nothing.
 */
export async function transitionOrder(
  db: Db,
  orderId: string,
  request: TransitionRequest,
): Promise<{ from: OrderStatus; to: OrderStatus }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: string }>(
      'SELECT status FROM orders WHERE id = $1 FOR UPDATE',
      [orderId],
    );
    const row = rows[0];
    if (!row) throw new DomainError('not_found', 'order_not_found', `order ${orderId} not found`);
    const refusal = transitionRefusal(row.status, request.to);
    if (refusal) throw new DomainError('conflict', 'illegal_transition', `order ${orderId}: ${refusal}`);

    const extra = Object.entries(request.set ?? {});
    for (const [column] of extra) {
      if (!SETTABLE_WITH_STATUS.has(column)) throw new Error(`column ${column} cannot change with a status`);
    }
    const assignments = extra.map(([column], i) => `${column} = $${i + 3}`);
    await tx.query(
      `UPDATE orders SET status = $2, status_changed_at = now(), updated_at = now()
       ${assignments.length ? `, ${assignments.join(', ')}` : ''} WHERE id = $1`,
      [orderId, request.to, ...extra.map(([, v]) => v)],
    );
    await tx.query(
      `INSERT INTO order_events (order_id, from_status, to_status, reason, actor) VALUES ($1, $2, $3, $4, $5)`,
      [orderId, row.status, request.to, request.reason ?? '', actorLabel(request.actor)],
    );
    // Subscribers (customer notifications, channel pushes) learn of every change the same way.
    await writeOutbox(tx, 'order.status_changed', { orderId, from: row.status, to: request.to, reason: request.reason ?? '' });
    await recordAudit(tx, request.actor, {
      action: 'order.status_changed',
      entityType: 'order',
      entityId: orderId,
      data: { from: row.status, to: request.to, reason: request.reason ?? '', ...request.set },
    });
    return { from: row.status as OrderStatus, to: request.to };
  });
}
