import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../actor.js';
import { writeOutbox } from '../events/write-outbox.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';

export const MOVEMENT_KINDS = [
  'receipt',
  'adjustment',
  'sale',
  'return',
  'transfer_in',
  'transfer_out',
  'count',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface MovementInput {
  variantId: string;
  locationId: string;
  /** Signed change of on-hand units: positive adds stock, negative removes it. */
  quantity: number;
  kind: MovementKind;
  reason?: string;
  orderId?: string | null;
  actor: Actor;
}

export interface RecordedMovement {
  id: number;
  onHandBefore: number;
  onHandAfter: number;
}

/**
 * The only writer of `inventory_levels.on_hand`: appends a movement and moves the level by the
 * same amount in one transaction, so on_hand always equals the sum of movements. Creates the
 * level row on the first movement. Refuses a movement that would take on-hand below what active
 * reservations already hold (reserved stock cannot disappear under an order).
 */
export async function recordMovement(db: Db, input: MovementInput): Promise<RecordedMovement> {
  if (!Number.isInteger(input.quantity) || input.quantity === 0) {
    throw new DomainError('invalid', 'invalid_quantity', `movement quantity must be a non-zero integer, got ${input.quantity}`);
  }
  return db.transaction(async (tx) => {
    const known = await tx.query(
      `SELECT (SELECT 1 FROM variants WHERE id = $1) AS v, (SELECT 1 FROM locations WHERE id = $2) AS l`,
      [input.variantId, input.locationId],
    );
    const row = known.rows[0] as { v: number | null; l: number | null };
    if (row.v === null) throw new DomainError('not_found', 'variant_not_found', `variant ${input.variantId} not found`);
    if (row.l === null) throw new DomainError('not_found', 'location_not_found', `location ${input.locationId} not found`);

    await tx.query(
      `INSERT INTO inventory_levels (variant_id, location_id, on_hand) VALUES ($1, $2, 0)
       ON CONFLICT (variant_id, location_id) DO NOTHING`,
      [input.variantId, input.locationId],
    );
    const level = await tx.query<{ on_hand: number }>(
      'SELECT on_hand FROM inventory_levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE',
      [input.variantId, input.locationId],
    );
    // A separate statement, so it sees reservations committed while this one waited for the lock.
    const held = await tx.query<{ reserved: number }>(
      `SELECT COALESCE(sum(quantity), 0)::int AS reserved FROM reservations
        WHERE variant_id = $1 AND location_id = $2 AND status = 'active'`,
      [input.variantId, input.locationId],
    );
    const before = level.rows[0]!.on_hand;
    const reserved = held.rows[0]!.reserved;
    const after = before + input.quantity;
    if (after < 0) {
      throw new DomainError(
        'insufficient',
        'negative_stock',
        `cannot remove ${-input.quantity} of ${input.variantId} at ${input.locationId}: only ${before} on hand`,
      );
    }
    // Callers that ship reserved units close the reservation first (see fulfilReservations).
    if (input.quantity < 0 && after < reserved) {
      throw new DomainError(
        'conflict',
        'stock_reserved',
        `cannot remove ${-input.quantity} of ${input.variantId} at ${input.locationId}: on hand ${before}, reserved ${reserved}`,
      );
    }
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO inventory_movements (variant_id, location_id, quantity, kind, reason, order_id, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        input.variantId,
        input.locationId,
        input.quantity,
        input.kind,
        input.reason ?? '',
        input.orderId ?? null,
        actorLabel(input.actor),
      ],
    );
    await tx.query(
      `UPDATE inventory_levels SET on_hand = $3, updated_at = now() WHERE variant_id = $1 AND location_id = $2`,
      [input.variantId, input.locationId, after],
    );
    const id = inserted.rows[0]!.id;
    // Stock monitors and channel stock pushes react to this event after the movement commits.
    await writeOutbox(tx, 'inventory.movement', {
      movementId: id,
      variantId: input.variantId,
      locationId: input.locationId,
      quantity: input.quantity,
      kind: input.kind,
      onHand: after,
      at: new Date().toISOString(),
    });
    await recordAudit(tx, input.actor, {
      action: 'inventory.movement_recorded',
      entityType: 'inventory_level',
      entityId: `${input.variantId}@${input.locationId}`,
      data: {
        movementId: id,
        kind: input.kind,
        quantity: input.quantity,
        onHandBefore: before,
        onHandAfter: after,
        reason: input.reason ?? '',
        orderId: input.orderId ?? null,
      },
    });
    return { id, onHandBefore: before, onHandAfter: after };
  });
}

/**
 * Repairs drift (on_hand no longer the sum of its movements, after a write that bypassed the
 * ledger): appends the movement the ledger lacks without moving on_hand, so the level people
 * counted and promised against stays. It is a `count` movement (a reconciliation), so it does not
 * add to the running total that gates manual adjustments. Refuses unless the drift is still exactly `quantity` with
 * on_hand at `onHand`, so a repair applied twice, or after the level moved, changes nothing.
 */
export async function recordMissingMovement(
  db: Db,
  input: { variantId: string; locationId: string; quantity: number; onHand: number; reason: string; actor: Actor },
): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const level = await tx.query<{ on_hand: number }>(
      'SELECT on_hand FROM inventory_levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE',
      [input.variantId, input.locationId],
    );
    const ledger = await tx.query<{ sum: number }>(
      'SELECT COALESCE(sum(quantity), 0)::int AS sum FROM inventory_movements WHERE variant_id = $1 AND location_id = $2',
      [input.variantId, input.locationId],
    );
    const onHand = level.rows[0]?.on_hand;
    const gap = onHand === undefined ? 0 : onHand - ledger.rows[0]!.sum;
    if (onHand !== input.onHand || gap !== input.quantity || gap === 0) {
      throw new DomainError(
        'conflict',
        'drift_changed',
        `${input.variantId} at ${input.locationId}: expected on hand ${input.onHand} with a gap of ${input.quantity} to the ledger, found on hand ${onHand ?? 'none'} with a gap of ${gap}`,
      );
    }
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO inventory_movements (variant_id, location_id, quantity, kind, reason, actor)
       VALUES ($1, $2, $3, 'count', $4, $5) RETURNING id`,
      [input.variantId, input.locationId, input.quantity, input.reason, actorLabel(input.actor)],
    );
    await recordAudit(tx, input.actor, {
      action: 'inventory.ledger_reconciled',
      entityType: 'inventory_level',
      entityId: `${input.variantId}@${input.locationId}`,
      data: { movementId: rows[0]!.id, quantity: input.quantity, onHand, reason: input.reason },
    });
    return { id: rows[0]!.id };
  });
}
