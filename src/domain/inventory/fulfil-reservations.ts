import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { recordMovement } from './record-movement.js';

export interface FulfilledReservation {
  id: number;
  variantId: string;
  locationId: string;
  quantity: number;
  orderLineId: number | null;
  movementId: number;
}

/**
 * Turns an order's held units into shipped ones: closes the active reservations (all of them,
 * or those of the given lines) and appends a `sale` movement for each, so on-hand drops by
 * what leaves the building and available stays unchanged.
 */
export async function fulfilReservations(
  db: Db,
  input: { orderId: string; orderLineIds?: number[]; actor: Actor },
): Promise<FulfilledReservation[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      id: number;
      variant_id: string;
      location_id: string;
      quantity: number;
      order_line_id: number | null;
    }>(
      `UPDATE reservations SET status = 'fulfilled', closed_at = now()
       WHERE order_id = $1 AND status = 'active' AND ($2::bigint[] IS NULL OR order_line_id = ANY($2::bigint[]))
       RETURNING id, variant_id, location_id, quantity, order_line_id`,
      [input.orderId, input.orderLineIds ?? null],
    );
    const closed = [...rows].sort((a, b) =>
      a.variant_id === b.variant_id ? (a.location_id < b.location_id ? -1 : 1) : a.variant_id < b.variant_id ? -1 : 1,
    );
    const fulfilled: FulfilledReservation[] = [];
    for (const r of closed) {
      const movement = await recordMovement(tx, {
        variantId: r.variant_id,
        locationId: r.location_id,
        quantity: -r.quantity,
        kind: 'sale',
        reason: `shipped for order ${input.orderId}`,
        orderId: input.orderId,
        actor: input.actor,
      });
      fulfilled.push({
        id: r.id,
        variantId: r.variant_id,
        locationId: r.location_id,
        quantity: r.quantity,
        orderLineId: r.order_line_id,
        movementId: movement.id,
      });
    }
    if (fulfilled.length > 0) {
      await recordAudit(tx, input.actor, {
        action: 'inventory.reservations_fulfilled',
        entityType: 'order',
        entityId: input.orderId,
        data: { reservations: fulfilled.map(({ id, variantId, locationId, quantity }) => ({ id, variantId, locationId, quantity })) },
      });
    }
    return fulfilled;
  });
}
