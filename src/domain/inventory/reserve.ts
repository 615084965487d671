import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { lockStockLevelRows } from './lock-stock-levels.js';
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
  const locked = await lockStockLevelRows(tx, input.items.map((i) => i.variantId));
  // Under the locks, one statement reads the active reservations (it starts after the lock wait,
  // so it sees what the previous holder committed) and the levels it locked, no others; checks each
  // item against what is left after the items before it; and only when every item fits inserts the
  // reservations, their audit row and the available-changed event. The ids are taken in item
  // order, so the i-th smallest id is the i-th item's.
  const variantIds = [...new Set(input.items.map((i) => i.variantId))].sort();
  const { rows } = await tx.query<{ available_before: number[]; ids: (number | string)[] | null }>(
    `WITH items AS (
       SELECT v, l, line, q, ord FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[]) WITH ORDINALITY AS t(v, l, line, q, ord)
     ), held AS (
       SELECT variant_id, location_id, sum(quantity)::int AS n FROM reservations
        WHERE status = 'active' AND variant_id = ANY($2::text[]) GROUP BY variant_id, location_id
     ), checked AS (
       SELECT i.*,
              (CASE WHEN $11::boolean
                    THEN GREATEST(0, COALESCE(lv.on_hand, 0) - COALESCE(h.n, 0) - COALESCE(va.safety_stock, 0))
                    ELSE COALESCE(lv.on_hand, 0) - COALESCE(h.n, 0) END)
                - COALESCE(sum(i.q) OVER (PARTITION BY i.v, i.l ORDER BY i.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS available_before
         FROM items i
         LEFT JOIN (SELECT lv.* FROM inventory_levels lv JOIN unnest($12::text[], $13::text[]) AS k(v, l) ON lv.variant_id = k.v AND lv.location_id = k.l) lv
                ON lv.variant_id = i.v AND lv.location_id = i.l
         LEFT JOIN variants va ON va.id = i.v
         LEFT JOIN held h ON h.variant_id = i.v AND h.location_id = i.l
     ), fits AS (
       SELECT NOT EXISTS (SELECT 1 FROM checked WHERE available_before < q) AS ok
     ), r AS (
       INSERT INTO reservations (variant_id, location_id, order_id, order_line_id, quantity)
       SELECT v, l, $1, line, q FROM checked WHERE (SELECT ok FROM fits) ORDER BY ord
       RETURNING id
     ), numbered AS (
       SELECT id, row_number() OVER (ORDER BY id) AS n FROM r
     ), a AS (
       INSERT INTO audit_log (actor_kind, actor_id, on_behalf_of, action, entity_type, entity_id, data)
       SELECT $6, $7, $8, 'inventory.reserved', 'order', $1,
              jsonb_build_object('reservations', (
                SELECT jsonb_agg(jsonb_build_object('reservationId', numbered.id, 'variantId', c.v, 'locationId', c.l, 'quantity', c.q,
                                                    'orderLineId', c.line, 'availableBefore', c.available_before) ORDER BY n)
                  FROM numbered JOIN checked c ON c.ord = numbered.n))
        WHERE (SELECT ok FROM fits)
     ), x AS (
       INSERT INTO outbox (topic, payload) SELECT $9, $10::jsonb WHERE (SELECT ok FROM fits)
     )
     SELECT (SELECT array_agg(available_before::int ORDER BY ord) FROM checked) AS available_before,
            (SELECT array_agg(id ORDER BY id) FROM r) AS ids`,
    [
      input.orderId,
      input.items.map((i) => i.variantId),
      input.items.map((i) => i.locationId),
      input.items.map((i) => i.orderLineId ?? null),
      input.items.map((i) => i.quantity),
      input.actor.kind,
      input.actor.id,
      input.actor.onBehalfOf ?? null,
      AVAILABLE_CHANGED_TOPIC,
      JSON.stringify(availableChangedPayload(variantIds, 'reserved')),
      input.keepSafetyStock === true,
      locked.variantIds,
      locked.locationIds,
    ],
  );
  const { available_before: availableBefore, ids } = rows[0]!;
  const short = input.items.findIndex((item, i) => availableBefore[i]! < item.quantity);
  if (short >= 0) {
    const item = input.items[short]!;
    throw new DomainError(
      'insufficient',
      'insufficient_stock',
      `Not enough stock available for ${item.sku ?? item.variantId} at ${item.locationId} (wanted ${item.quantity}, available ${availableBefore[short]})`,
    );
  }
  // A bigint[] comes back as strings from pg and as numbers from PGlite.
  return (ids ?? []).map(Number);
}
