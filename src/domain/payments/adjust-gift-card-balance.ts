import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { centsToNumeric, toCents, type Cents } from '../money.js';

/**
 * Adds `deltaCents` (negative to spend) to a gift card's balance and records why. The caller
 * has already checked the balance under a row lock; this only writes. Returns the new balance.
 */
export async function adjustGiftCardBalance(
  tx: Db,
  paymentMethodId: string,
  deltaCents: Cents,
  actor: Actor,
  context: { orderId?: string; reason: string },
): Promise<Cents> {
  const { rows } = await tx.query<{ balance: string; customer_id: string }>(
    `UPDATE payment_methods SET balance = balance + $2::numeric
      WHERE id = $1 AND source = 'gift_card' RETURNING balance::text AS balance, customer_id`,
    [paymentMethodId, centsToNumeric(deltaCents)],
  );
  const row = rows[0];
  if (!row) throw new Error(`gift card ${paymentMethodId} does not exist`);
  const balanceCents = toCents(row.balance);
  await recordAudit(tx, actor, {
    action: 'gift_card.balance_adjusted',
    entityType: 'payment_method',
    entityId: paymentMethodId,
    data: { customerId: row.customer_id, deltaCents, balanceCents, orderId: context.orderId ?? null, reason: context.reason },
  });
  return balanceCents;
}
