import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { writeAvailableChanged } from './write-available-changed.js';

export interface ReservationRequest {
  variantId: string;
  locationId: string;
  quantity: number;
  orderLineId?: number | null;
  /** Shown in the refusal message instead of the variant id. */
  sku?: string;
}

export interface ReserveInput extends ReservationRequest {
  orderId: string;
  actor: Actor;
}

/**
 * Holds `quantity` units of a variant at a location for an order. Locks the level row, checks
 * on-hand minus active reservations, then inserts the reservation, all in one transaction, so
 * concurrent callers can never promise the same unit twice.
 */
export async function reserve(db: Db, input: ReserveInput): Promise<{ reservationId: number }> {
  const { orderId, actor, ...request } = input;
  const [id] = await reserveMany(db, { orderId, actor, items: [request] });
  return { reservationId: id! };
}

/**
 * Several reservations for one order, all or none: one lock round for every level involved (in
 * the stable order), one check per item against what is left after the items before it, one
 * insert. Returns the reservation ids in item order.
 */
export async function reserveMany(
  db: Db,
  input: { orderId: string; actor: Actor; items: ReservationRequest[] },
): Promise<number[]> {
  for (const item of input.items) {
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      throw new DomainError('invalid', 'invalid_quantity', `reservation quantity must be a positive integer, got ${item.quantity}`);
    }
  }
  if (input.items.length === 0) return [];
  return db.transaction(async (tx) => {
    const levels = await lockStockLevels(tx, input.items.map((i) => i.variantId));
    const left = new Map(levels.map((l) => [`${l.variantId}\u0000${l.locationId}`, l.available]));
    const availableBefore: number[] = [];
    for (const item of input.items) {
      const k = `${item.variantId}\u0000${item.locationId}`;
      const available = left.get(k) ?? 0;
      if (available < item.quantity) {
        throw new DomainError(
          'insufficient',
          'insufficient_stock',
          `Not enough stock available for ${item.sku ?? item.variantId} at ${item.locationId} (wanted ${item.quantity}, available ${available})`,
        );
      }
      availableBefore.push(available);
      left.set(k, available - item.quantity);
    }
    const { rows } = await tx.query<{ id: number; ord: number }>(
      `INSERT INTO reservations (variant_id, location_id, order_id, order_line_id, quantity)
       SELECT v, l, $1, line, q FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[]) WITH ORDINALITY AS t(v, l, line, q, ord)
       ORDER BY ord
       RETURNING id`,
      [
        input.orderId,
        input.items.map((i) => i.variantId),
        input.items.map((i) => i.locationId),
        input.items.map((i) => i.orderLineId ?? null),
        input.items.map((i) => i.quantity),
      ],
    );
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    await writeAvailableChanged(tx, input.items.map((i) => i.variantId), 'reserved');
    await recordAudit(tx, input.actor, {
      action: 'inventory.reserved',
      entityType: 'order',
      entityId: input.orderId,
      data: {
        reservations: input.items.map((item, i) => ({
          reservationId: ids[i],
          variantId: item.variantId,
          locationId: item.locationId,
          quantity: item.quantity,
          orderLineId: item.orderLineId ?? null,
          availableBefore: availableBefore[i],
        })),
      },
    });
    return ids;
  });
}
