import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { checkInventoryIntegrity } from './check-inventory-integrity.js';
import type { InventoryFix } from './inventory-finding.js';
import { recordMissingMovement, recordMovement } from './record-movement.js';
import { writeAvailableChanged } from './write-available-changed.js';

export interface AppliedRepair {
  fix: InventoryFix;
  /** What changed, in one sentence. */
  done: string;
}

/** Ledger first, releases before new stock, sales last: each step sees the state the earlier ones left. */
const ORDER: Record<InventoryFix['action'], number> = {
  record_missing_movement: 0,
  release_reservation: 1,
  count_to_zero: 2,
  fulfil_reservation: 3,
};

/**
 * Applies the fixes an integrity check proposed, all or none, in one transaction. The check runs
 * again inside that transaction and every fix must be the fix of a finding it reports now: the
 * tool takes fix objects from the model, and a well-formed fix nobody proposed (fulfilling the
 * reservation of a live order, say) would otherwise sell its stock early. Each fix is then checked
 * against the rows it touches as it is applied (the drift still the same, the reservation still
 * active, on-hand still negative by as much). Either refusal is a DomainError naming the fix, so an
 * approved repair never applies to data that moved on, and never applies twice.
 */
export async function applyInventoryRepairs(db: Db, fixes: InventoryFix[], actor: Actor): Promise<AppliedRepair[]> {
  if (fixes.length === 0) throw new DomainError('invalid', 'no_repairs', 'there is nothing to repair');
  const sorted = fixes.map((fix, i) => ({ fix, i })).sort((a, b) => ORDER[a.fix.action] - ORDER[b.fix.action] || a.i - b.i);
  return db.transaction(async (tx) => {
    await requireProposed(tx, fixes);
    const applied: AppliedRepair[] = [];
    for (const { fix } of sorted) applied.push({ fix, done: await applyOne(tx, fix, actor) });
    await recordAudit(tx, actor, {
      action: 'inventory.repaired',
      entityType: 'inventory',
      entityId: 'integrity-check',
      data: { fixes: applied.map((a) => a.fix) },
    });
    return applied;
  });
}

async function requireProposed(tx: Db, fixes: InventoryFix[]): Promise<void> {
  // Stuck transfers carry no fix, so their age limit cannot change which fixes are proposed.
  const findings = await checkInventoryIntegrity(tx, { stuckTransferDays: 0 });
  const proposed = new Set(findings.flatMap((f) => (f.fix ? [fixKey(f.fix)] : [])));
  const unknown = fixes.find((fix) => !proposed.has(fixKey(fix)));
  if (unknown) {
    throw new DomainError('conflict', 'fix_not_proposed', `${describeFix(unknown)} matches no current finding; run the stock check again and pass its fixes as returned`);
  }
}

/** Field order differs between callers (zod output, JSON from an approval), so compare sorted fields. */
const fixKey = (fix: InventoryFix): string =>
  JSON.stringify(Object.entries(fix).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function describeFix(fix: InventoryFix): string {
  switch (fix.action) {
    case 'record_missing_movement':
    case 'count_to_zero':
      return `${fix.action} of ${fix.quantity} for ${fix.variant_id} at ${fix.location_id}`;
    case 'release_reservation':
    case 'fulfil_reservation':
      return `${fix.action} of reservation ${fix.reservation_id} (order ${fix.order_id})`;
  }
}

async function applyOne(tx: Db, fix: InventoryFix, actor: Actor): Promise<string> {
  switch (fix.action) {
    case 'record_missing_movement':
      await recordMissingMovement(tx, { variantId: fix.variant_id, locationId: fix.location_id, quantity: fix.quantity, onHand: fix.on_hand, reason: 'integrity repair: movement missing from the ledger', actor });
      return `recorded the missing ${fix.quantity} movement of ${fix.variant_id} at ${fix.location_id}`;
    case 'count_to_zero': {
      const { rows } = await tx.query<{ on_hand: number }>(
        'SELECT on_hand FROM inventory_levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE',
        [fix.variant_id, fix.location_id],
      );
      if (rows[0]?.on_hand !== -fix.quantity) {
        throw new DomainError('conflict', 'level_changed', `${fix.variant_id} at ${fix.location_id}: expected on hand ${-fix.quantity}, found ${rows[0]?.on_hand ?? 'none'}`);
      }
      await recordMovement(tx, { variantId: fix.variant_id, locationId: fix.location_id, quantity: fix.quantity, kind: 'count', reason: 'integrity repair: negative on hand set to 0', actor });
      return `brought ${fix.variant_id} at ${fix.location_id} from ${-fix.quantity} to 0`;
    }
    case 'release_reservation': {
      const r = await closeReservation(tx, fix.reservation_id, fix.order_id, 'released');
      await writeAvailableChanged(tx, [r.variant_id], 'released');
      await recordAudit(tx, actor, {
        action: 'inventory.reservations_released',
        entityType: 'order',
        entityId: fix.order_id,
        data: { reason: 'integrity repair', reservations: [r] },
      });
      return `released reservation ${fix.reservation_id} (${r.quantity} units) of order ${fix.order_id}`;
    }
    case 'fulfil_reservation': {
      const r = await closeReservation(tx, fix.reservation_id, fix.order_id, 'fulfilled');
      await recordMovement(tx, {
        variantId: r.variant_id,
        locationId: r.location_id,
        quantity: -r.quantity,
        kind: 'sale',
        reason: `integrity repair: shipped for order ${fix.order_id}`,
        orderId: fix.order_id,
        actor,
      });
      return `closed reservation ${fix.reservation_id} of order ${fix.order_id} and booked the sale of ${r.quantity}`;
    }
  }
}

async function closeReservation(
  tx: Db,
  reservation_id: number,
  order_id: string,
  status: 'released' | 'fulfilled',
): Promise<{ id: number; variant_id: string; location_id: string; quantity: number }> {
  const { rows } = await tx.query<{ id: number; variant_id: string; location_id: string; quantity: number }>(
    `UPDATE reservations SET status = $3, closed_at = now() WHERE id = $1 AND order_id = $2 AND status = 'active'
     RETURNING id, variant_id, location_id, quantity`,
    [reservation_id, order_id, status],
  );
  const r = rows[0];
  if (!r) throw new DomainError('conflict', 'reservation_not_active', `reservation ${reservation_id} of order ${order_id} is no longer active`);
  return { id: r.id, variant_id: r.variant_id, location_id: r.location_id, quantity: r.quantity };
}
