import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { writeAvailableChanged } from './write-available-changed.js';

export interface ReleasedReservation {
  id: number;
  variantId: string;
  locationId: string;
  quantity: number;
}

/**
 * Gives back every unit an order still holds (cancellation, or before re-allocating). Releasing
 * only ever makes stock available, so it needs no level lock. Releasing twice releases nothing.
 */
export async function releaseReservationsForOrder(
  db: Db,
  orderId: string,
  actor: Actor,
  reason = '',
): Promise<ReleasedReservation[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; variant_id: string; location_id: string; quantity: number }>(
      `UPDATE reservations SET status = 'released', closed_at = now()
       WHERE order_id = $1 AND status = 'active'
       RETURNING id, variant_id, location_id, quantity`,
      [orderId],
    );
    const released = rows
      .map((r) => ({ id: r.id, variantId: r.variant_id, locationId: r.location_id, quantity: r.quantity }))
      .sort((a, b) => a.id - b.id);
    if (released.length > 0) {
      await writeAvailableChanged(tx, released.map((r) => r.variantId), 'released');
      await recordAudit(tx, actor, {
        action: 'inventory.reservations_released',
        entityType: 'order',
        entityId: orderId,
        data: { reason, reservations: released },
      });
    }
    return released;
  });
}
