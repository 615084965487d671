import type { Db } from '../../db/db.js';

/**
 * Why the order's address or items can no longer change, or null: once a line sits on a shipment
 * with a live label, that parcel is addressed and packed, so moving or swapping its lines would
 * leave the label pointing at the old address or items.
 */
export async function labelledPartRefusal(db: Db, orderId: string): Promise<string | null> {
  const { rows } = await db.query(
    `SELECT 1 FROM order_lines l JOIN shipments s ON s.id = l.shipment_id
      WHERE l.order_id = $1 AND s.label_purchased_at IS NOT NULL AND s.voided_at IS NULL LIMIT 1`,
    [orderId],
  );
  return rows.length ? 'part of the order already has a shipping label, so its address and items can no longer be changed' : null;
}
