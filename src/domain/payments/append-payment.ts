import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { writeOutbox } from '../events/write-outbox.js';
import { centsToNumeric, type Cents } from '../money.js';

export interface PaymentEntry {
  kind: 'payment' | 'refund';
  amountCents: Cents;
  paymentMethodId: string;
}

/**
 * Appends entries to an order's payments ledger after its last position. The ledger is
 * append-only: a refund is a new row, an existing row is never changed. Call it with the order
 * row locked so two writers cannot take the same position. Each refund also leaves a
 * `payment.refunded` outbox event.
 */
export async function appendPayments(tx: Db, orderId: string, entries: PaymentEntry[], actor: Actor): Promise<void> {
  if (entries.length === 0) return;
  for (const e of entries) {
    if (!Number.isInteger(e.amountCents) || e.amountCents < 0) throw new Error(`payment amount must be whole non-negative cents, got ${e.amountCents}`);
  }
  const { rows } = await tx.query<{ next: number }>(
    'SELECT COALESCE(MAX(position), -1) + 1 AS next FROM payments WHERE order_id = $1',
    [orderId],
  );
  const first = Number(rows[0]!.next);
  await tx.query(
    `INSERT INTO payments (order_id, position, kind, amount, payment_method_id)
     SELECT $1, $2::int + ord::int - 1, kind, amount::numeric, pm
       FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(kind, amount, pm, ord)`,
    [orderId, first, entries.map((e) => e.kind), entries.map((e) => centsToNumeric(e.amountCents)), entries.map((e) => e.paymentMethodId)],
  );
  for (const [i, e] of entries.entries()) {
    if (e.kind === 'refund') {
      await writeOutbox(tx, 'payment.refunded', { orderId, position: first + i, amount: centsToNumeric(e.amountCents), paymentMethodId: e.paymentMethodId });
    }
  }
  await recordAudit(tx, actor, {
    action: 'order.payments_appended',
    entityType: 'order',
    entityId: orderId,
    data: { entries: entries.map((e, i) => ({ position: first + i, ...e })) },
  });
}
