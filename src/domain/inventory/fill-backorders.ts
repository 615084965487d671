import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { writeOutbox } from '../events/write-outbox.js';
import { lockStockLevels } from './lock-stock-levels.js';
import { reserveMany } from './reserve.js';

/** Statuses of an order that may still ship, so units owed to it are worth holding. */
const WAITING_STATUSES = ['pending', 'pending (item modified)', 'on_hold', 'processed', 'partially_shipped', 'exception'];

export interface BackorderFill {
  orderId: string;
  orderLineId: number;
  /** Units reserved for the line now. */
  quantity: number;
  /** Units the line still waits for. */
  backorderedLeft: number;
}

/**
 * Reserves stock that has just arrived at a location for the lines backordered there, oldest
 * order first, never beyond what is promisable (safety stock stays back). Call in the
 * transaction that booked the arrival, after the movement, so the units are held before anyone
 * else can promise them. One audit row and one `order.backorder_filled` event per order filled.
 */
export async function fillBackorders(
  db: Db,
  args: { variantId: string; locationId: string; actor: Actor },
): Promise<BackorderFill[]> {
  return db.transaction(async (tx) => {
    // The level lock first: two arrivals at once fill in turn, each seeing the other's reservations.
    const levels = await lockStockLevels(tx, [args.variantId]);
    let promisable = levels.find((l) => l.locationId === args.locationId)?.promisable ?? 0;
    if (promisable <= 0) return [];
    // The orders are share-locked so one being cancelled meanwhile is re-read (and skipped) rather
    // than left holding a reservation its cancellation never saw.
    const { rows: lines } = await tx.query<{ id: string; order_id: string; backordered_quantity: number }>(
      `SELECT ol.id, ol.order_id, ol.backordered_quantity
         FROM order_lines ol JOIN orders o ON o.id = ol.order_id
        WHERE ol.variant_id = $1 AND ol.location_id = $2 AND ol.backordered_quantity > 0
          AND ol.shipment_id IS NULL AND o.status = ANY($3::text[])
        ORDER BY o.placed_at, o.id, ol.position
        FOR UPDATE OF ol FOR SHARE OF o`,
      [args.variantId, args.locationId, WAITING_STATUSES],
    );
    const fills: BackorderFill[] = [];
    for (const line of lines) {
      if (promisable <= 0) break;
      const quantity = Math.min(line.backordered_quantity, promisable);
      promisable -= quantity;
      fills.push({ orderId: line.order_id, orderLineId: Number(line.id), quantity, backorderedLeft: line.backordered_quantity - quantity });
    }
    for (const orderId of [...new Set(fills.map((f) => f.orderId))]) {
      const ofOrder = fills.filter((f) => f.orderId === orderId);
      await reserveMany(tx, {
        orderId,
        actor: args.actor,
        items: ofOrder.map((f) => ({ variantId: args.variantId, locationId: args.locationId, quantity: f.quantity, orderLineId: f.orderLineId })),
      });
      for (const f of ofOrder) {
        await tx.query('UPDATE order_lines SET backordered_quantity = $2 WHERE id = $1', [f.orderLineId, f.backorderedLeft]);
      }
      const data = {
        variantId: args.variantId,
        locationId: args.locationId,
        lines: ofOrder.map((f) => ({ orderLineId: f.orderLineId, reserved: f.quantity, backorderedLeft: f.backorderedLeft })),
      };
      await recordAudit(tx, args.actor, { action: 'inventory.backorder_filled', entityType: 'order', entityId: orderId, data });
      await writeOutbox(tx, 'order.backorder_filled', {
        orderId,
        ...data,
        complete: ofOrder.every((f) => f.backorderedLeft === 0),
      });
    }
    return fills;
  });
}
