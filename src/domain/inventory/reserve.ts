import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { AVAILABLE_CHANGED_TOPIC, availableChangedPayload } from './write-available-changed.js';

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
  return db.transaction((tx) => reserveUnderLock(tx, input));
}

/**
 * reserveMany's work in the caller's own transaction, with no savepoint of its own: for a caller
 * that writes everything else first and reserves last, so the level locks are held only for the
 * lock, the check and one insert before its COMMIT. `keepSafetyStock` checks each level's
 * promisable units (what routing decided on) instead of everything available.
 */
export async function reserveUnderLock(
  tx: Db,
  input: { orderId: string; actor: Actor; items: ReservationRequest[]; keepSafetyStock?: boolean },
): Promise<number[]> {
  if (input.items.length === 0) return [];
  const levels = await lockStockLevels(tx, input.items.map((i) => i.variantId));
  const left = new Map(levels.map((l) => [`${l.variantId}\u0000${l.locationId}`, input.keepSafetyStock ? l.promisable : l.available]));
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
  // Reservations, their audit row and the available-changed event in one statement: the ids
  // are taken in item order, so the i-th smallest id is the i-th item's.
  const variantIds = [...new Set(input.items.map((i) => i.variantId))].sort();
  const { rows } = await tx.query<{ id: number }>(
    `WITH r AS (
       INSERT INTO reservations (variant_id, location_id, order_id, order_line_id, quantity)
       SELECT v, l, $1, line, q FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[]) WITH ORDINALITY AS t(v, l, line, q, ord)
        ORDER BY ord
       RETURNING id
     ), numbered AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM r
     ), a AS (
       INSERT INTO audit_log (actor_kind, actor_id, on_behalf_of, action, entity_type, entity_id, data)
       SELECT $6, $7, $8, 'inventory.reserved', 'order', $1,
              jsonb_build_object('reservations', (
                SELECT jsonb_agg(jsonb_build_object('reservationId', numbered.id) || item ORDER BY n)
                  FROM numbered JOIN jsonb_array_elements($9::jsonb) WITH ORDINALITY AS e(item, ord) ON e.ord = numbered.n))
     ), x AS (
       INSERT INTO outbox (topic, payload) VALUES ($10, $11)
     )
     SELECT id FROM r ORDER BY id`,
    [
      input.orderId,
      input.items.map((i) => i.variantId),
      input.items.map((i) => i.locationId),
      input.items.map((i) => i.orderLineId ?? null),
      input.items.map((i) => i.quantity),
      input.actor.kind,
      input.actor.id,
      input.actor.onBehalfOf ?? null,
      JSON.stringify(
        input.items.map((item, i) => ({
          variantId: item.variantId,
          locationId: item.locationId,
          quantity: item.quantity,
          orderLineId: item.orderLineId ?? null,
          availableBefore: availableBefore[i],
        })),
      ),
      AVAILABLE_CHANGED_TOPIC,
      JSON.stringify(availableChangedPayload(variantIds, 'reserved')),
    ],
  );
  return rows.map((r) => r.id);
}
