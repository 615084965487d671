import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { lockStockLevels } from './lock-stock-levels.js';

export interface ReserveInput {
  variantId: string;
  locationId: string;
  quantity: number;
  orderId: string;
  orderLineId?: number | null;
  actor: Actor;
  /** Shown in the refusal message instead of the variant id. */
  sku?: string;
}

/**
 * Holds `quantity` units of a variant at a location for an order. Locks the level row, checks
 * on-hand minus active reservations, then inserts the reservation, all in one transaction, so
 * concurrent callers can never promise the same unit twice.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<{ reservationId: number }> {
  if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
    throw new DomainError('invalid', 'invalid_quantity', `reservation quantity must be a positive integer, got ${input.quantity}`);
  }
  return db.transaction(async (tx) => {
    const level = (await lockStockLevels(tx, [input.variantId])).find((l) => l.locationId === input.locationId);
    const label = input.sku ?? input.variantId;
    const available = level?.available ?? 0;
    if (available < input.quantity) {
      throw new DomainError(
        'insufficient',
        'insufficient_stock',
        `Not enough stock available for ${label} at ${input.locationId} (wanted ${input.quantity}, available ${available})`,
      );
    }
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO reservations (variant_id, location_id, order_id, order_line_id, quantity)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [input.variantId, input.locationId, input.orderId, input.orderLineId ?? null, input.quantity],
    );
    const reservationId = rows[0]!.id;
    await recordAudit(tx, input.actor, {
      action: 'inventory.reserved',
      entityType: 'order',
      entityId: input.orderId,
      data: {
        reservationId,
        variantId: input.variantId,
        locationId: input.locationId,
        quantity: input.quantity,
        orderLineId: input.orderLineId ?? null,
        availableBefore: available,
      },
    });
    return { reservationId };
  });
}
