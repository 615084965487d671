import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { carrierFor } from './buy-shipment-label.js';
import type { Carrier } from './carrier.js';
import { findShipment, type Shipment } from './shipment-repository.js';

/** Why a shipment's label cannot be voided, or null. Only a label the carrier has not scanned yet can be. */
export function voidRefusal(s: Shipment): string | null {
  if (s.voidedAt) return `the label of shipment ${s.id} is already voided`;
  if (!s.labelPurchasedAt || !s.trackingNumber) return `shipment ${s.id} has no label`;
  if (s.status !== 'pre_transit') return `shipment ${s.id} is ${s.status}: only a label not yet scanned by the carrier can be voided`;
  return null;
}

/**
 * Voids an unscanned label at its carrier, then marks the shipment voided and frees its lines, so
 * fulfilling the order again makes a new shipment (with a new key) for them. When the carrier
 * refuses, nothing changes here.
 */
export async function voidLabel(
  db: Db,
  carriers: readonly Carrier[],
  shipmentId: number,
  actor: Actor,
  options: { reason?: string } = {},
): Promise<{ shipment: Shipment; detail: string }> {
  const shipment = await findShipment(db, shipmentId);
  if (!shipment) throw new DomainError('not_found', 'shipment_not_found', `shipment ${shipmentId} not found`);
  const refusal = voidRefusal(shipment);
  if (refusal) throw new DomainError('conflict', 'not_voidable', refusal);
  const result = await carrierFor(carriers, shipment.carrierAccount!).voidLabel({
    labelId: shipment.labelId ?? shipment.carrierShipmentId ?? shipment.trackingNumber!,
    trackingNumber: shipment.trackingNumber!,
  });
  if (!result.voided) throw new DomainError('conflict', 'void_refused', `the carrier refused to void shipment ${shipmentId}: ${result.detail}`);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE shipments SET status = 'voided', voided_at = now(), updated_at = now()
        WHERE id = $1 AND voided_at IS NULL AND status = 'pre_transit' RETURNING id`,
      [shipmentId],
    );
    if (rows.length) {
      await tx.query('UPDATE order_lines SET shipment_id = NULL WHERE shipment_id = $1', [shipmentId]);
      const payload = { shipmentId, orderId: shipment.orderId, trackingNumber: shipment.trackingNumber, reason: options.reason ?? '' };
      await writeOutbox(tx, 'shipment.label_voided', payload);
      await recordAudit(tx, actor, { action: 'shipment.label_voided', entityType: 'shipment', entityId: String(shipmentId), data: payload });
    }
    return { shipment: (await findShipment(tx, shipmentId))!, detail: result.detail };
  });
}
