import type { Db } from '../../db/db.js';
import type { InventoryFinding } from './inventory-finding.js';

export interface IntegrityCheckOptions {
  /** A transfer in transit longer than this is reported as stuck. */
  stuckTransferDays: number;
  now?: Date;
}

/** Order statuses after which nothing may stay reserved: the units were given back or shipped (a partially shipped order still holds its open lines). */
const CANCELLED = ['cancelled'];
const SHIPPED = ['shipped', 'delivered', 'return requested', 'exchange requested'];

/**
 * Finds every disagreement between stock levels, the movements ledger, reservations, orders and
 * transfers, each with what, where, by how much and the proposed fix. Reads only; the fixes are
 * applied by `applyInventoryRepairs` once a person approves them. Findings come in a stable order
 * (kind, then variant, location and record id) so two runs over the same data read the same.
 */
export async function checkInventoryIntegrity(db: Db, options: IntegrityCheckOptions): Promise<InventoryFinding[]> {
  const findings: InventoryFinding[] = [];
  findings.push(...(await levelFindings(db)));
  findings.push(...(await reservationFindings(db)));
  findings.push(...(await stuckTransfers(db, options)));
  return findings;
}

async function levelFindings(db: Db): Promise<InventoryFinding[]> {
  const { rows } = await db.query<{ variant_id: string; sku: string; location_id: string; on_hand: number; ledger: number; reserved: number }>(
    `SELECT l.variant_id, v.sku, l.location_id, l.on_hand,
            COALESCE((SELECT sum(m.quantity) FROM inventory_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id), 0)::int AS ledger,
            COALESCE((SELECT sum(r.quantity) FROM reservations r
                       WHERE r.variant_id = l.variant_id AND r.location_id = l.location_id AND r.status = 'active'), 0)::int AS reserved
       FROM inventory_levels l JOIN variants v ON v.id = l.variant_id
      ORDER BY l.variant_id, l.location_id`,
  );
  const drift: InventoryFinding[] = [];
  const negative: InventoryFinding[] = [];
  const overReserved: InventoryFinding[] = [];
  for (const r of rows) {
    const where = { sku: r.sku, variant_id: r.variant_id, location_id: r.location_id };
    if (r.on_hand !== r.ledger) {
      const gap = r.on_hand - r.ledger;
      drift.push({
        kind: 'level_drift',
        ...where,
        problem: `${r.sku} at ${r.location_id}: on hand is ${r.on_hand} but its movements add up to ${r.ledger}`,
        units: Math.abs(gap),
        proposed_fix: `record the missing ${gap > 0 ? '+' : ''}${gap} movement so the ledger explains on hand ${r.on_hand} (on hand stays; count the shelf if in doubt)`,
        fix: { action: 'record_missing_movement', variant_id: r.variant_id, location_id: r.location_id, quantity: gap, on_hand: r.on_hand },
      });
    }
    if (r.on_hand < 0) {
      negative.push({
        kind: 'negative_on_hand',
        ...where,
        problem: `${r.sku} at ${r.location_id}: on hand is ${r.on_hand}`,
        units: -r.on_hand,
        proposed_fix: `a +${-r.on_hand} count movement to bring on hand to 0, then count the shelf`,
        fix: { action: 'count_to_zero', variant_id: r.variant_id, location_id: r.location_id, quantity: -r.on_hand },
      });
    }
    if (r.reserved > Math.max(r.on_hand, 0)) {
      overReserved.push({
        kind: 'over_reserved',
        ...where,
        problem: `${r.sku} at ${r.location_id}: ${r.reserved} reserved but only ${r.on_hand} on hand`,
        units: r.reserved - Math.max(r.on_hand, 0),
        proposed_fix: `count the shelf (orderops inventory count), or reroute the newest orders holding ${r.sku} there`,
        fix: null,
      });
    }
  }
  return [...negative, ...drift, ...overReserved];
}

interface ReservationRow {
  id: number;
  variant_id: string;
  sku: string;
  location_id: string;
  order_id: string;
  order_status: string;
  order_line_id: number | null;
  quantity: number;
  line_order_id: string | null;
  line_variant_id: string | null;
  line_found: boolean;
  sale_booked: boolean;
}

async function reservationFindings(db: Db): Promise<InventoryFinding[]> {
  const { rows } = await db.query<ReservationRow>(
    `SELECT r.id, r.variant_id, v.sku, r.location_id, r.order_id, o.status AS order_status, r.order_line_id, r.quantity,
            ol.order_id AS line_order_id, ol.variant_id AS line_variant_id, (ol.id IS NOT NULL) AS line_found,
            EXISTS (SELECT 1 FROM inventory_movements m
                     WHERE m.order_id = r.order_id AND m.variant_id = r.variant_id AND m.location_id = r.location_id AND m.kind = 'sale') AS sale_booked
       FROM reservations r
       JOIN variants v ON v.id = r.variant_id
       LEFT JOIN orders o ON o.id = r.order_id
       LEFT JOIN order_lines ol ON ol.id = r.order_line_id
      WHERE r.status = 'active'
      ORDER BY r.id`,
  );
  const orphaned: InventoryFinding[] = [];
  const closed: InventoryFinding[] = [];
  for (const r of rows) {
    const base = { sku: r.sku, variant_id: r.variant_id, location_id: r.location_id, units: r.quantity, reservation_id: r.id, order_id: r.order_id };
    const release = { action: 'release_reservation' as const, reservation_id: r.id, order_id: r.order_id };
    const held = `reservation ${r.id} holds ${r.quantity} of ${r.sku} at ${r.location_id} for order ${r.order_id}`;
    const orphanReason =
      r.order_status === null
        ? `but order ${r.order_id} does not exist`
        : r.order_line_id !== null && !r.line_found
          ? `but its order line ${r.order_line_id} is gone`
          : r.order_line_id !== null && r.line_order_id !== r.order_id
            ? `but its order line ${r.order_line_id} belongs to order ${r.line_order_id}`
            : r.order_line_id !== null && r.line_variant_id !== r.variant_id
              ? `but its order line ${r.order_line_id} is now for variant ${r.line_variant_id}`
              : null;
    if (orphanReason) {
      orphaned.push({ kind: 'orphaned_reservation', ...base, problem: `${held} ${orphanReason}`, proposed_fix: `release reservation ${r.id}`, fix: release });
      continue;
    }
    if (CANCELLED.includes(r.order_status)) {
      closed.push({
        kind: 'reservation_on_closed_order',
        ...base,
        problem: `${held}, which is cancelled`,
        proposed_fix: `release reservation ${r.id}`,
        fix: release,
      });
    } else if (SHIPPED.includes(r.order_status)) {
      closed.push({
        kind: 'reservation_on_closed_order',
        ...base,
        problem: `${held}, which is ${r.order_status}`,
        proposed_fix: r.sale_booked
          ? `release reservation ${r.id} (the sale is already booked)`
          : `close reservation ${r.id} as fulfilled and book the sale of ${r.quantity}`,
        fix: r.sale_booked ? release : { action: 'fulfil_reservation', reservation_id: r.id, order_id: r.order_id },
      });
    }
  }
  return [...orphaned, ...closed];
}

async function stuckTransfers(db: Db, options: IntegrityCheckOptions): Promise<InventoryFinding[]> {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() - options.stuckTransferDays * 86_400_000);
  const { rows } = await db.query<{ id: number; variant_id: string; sku: string; from_location_id: string; to_location_id: string; quantity: number; shipped_at: Date }>(
    `SELECT t.id, t.variant_id, v.sku, t.from_location_id, t.to_location_id, t.quantity, t.shipped_at
       FROM stock_transfers t JOIN variants v ON v.id = t.variant_id
      WHERE t.status = 'in_transit' AND t.shipped_at < $1
      ORDER BY t.shipped_at, t.id`,
    [before],
  );
  return rows.map((t) => {
    const days = Math.floor((now.getTime() - new Date(t.shipped_at).getTime()) / 86_400_000);
    return {
      kind: 'transfer_stuck' as const,
      sku: t.sku,
      variant_id: t.variant_id,
      location_id: t.to_location_id,
      transfer_id: t.id,
      units: t.quantity,
      problem: `transfer ${t.id} of ${t.quantity} ${t.sku} from ${t.from_location_id} to ${t.to_location_id} has been in transit ${days} days`,
      proposed_fix: `receive it at ${t.to_location_id} if it arrived, or cancel it to return the units to ${t.from_location_id}`,
      fix: null,
    };
  });
}
