import type { Db } from '../../db/db.js';

/**
 * Why the order cannot be cancelled while it has labels we bought that are still live, or null. A
 * scanned parcel is already on its way; an unscanned label must be voided at its carrier first
 * (void_label), which a cancel inside one transaction cannot do. Imported history has shipments
 * but no label bought here (no idempotency key) and is left alone.
 */
export async function liveLabelRefusal(db: Db, orderId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string; status: string }>(
    `SELECT id, status FROM shipments
      WHERE order_id = $1 AND label_idempotency_key IS NOT NULL AND label_purchased_at IS NOT NULL AND voided_at IS NULL
      ORDER BY position`,
    [orderId],
  );
  const moving = rows.find((s) => s.status !== 'pre_transit' && s.status !== 'pending');
  if (moving) return `order ${orderId} cannot be cancelled: shipment ${moving.id} is ${moving.status} and already with the carrier`;
  if (rows.length) {
    return `order ${orderId} cannot be cancelled while it has a live shipping label (shipment ${rows.map((s) => s.id).join(', ')}): void the label first (void_label)`;
  }
  return null;
}
