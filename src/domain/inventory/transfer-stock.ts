import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { findLocation } from './location-repository.js';
import { recordMovement } from './record-movement.js';
import { loadStockTransfer, type StockTransfer } from './stock-transfer.js';
import { variantIdOfSku } from './variant-id-of-sku.js';

export interface TransferRequest {
  sku: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  reason?: string;
}

/**
 * Sends units from one location to another: a `transfer_out` movement at the source and a
 * transfer row in transit, in one transaction. The units count nowhere as available until
 * `receiveTransfer` books them in at the destination. Reserved units cannot leave.
 */
export async function transferStock(db: Db, request: TransferRequest, actor: Actor): Promise<StockTransfer> {
  if (!Number.isInteger(request.quantity) || request.quantity <= 0) {
    throw new DomainError('invalid', 'invalid_quantity', `a transfer needs a positive whole number of units, got ${request.quantity}`);
  }
  if (request.fromLocationId === request.toLocationId) {
    throw new DomainError('invalid', 'same_location', `cannot transfer from ${request.fromLocationId} to itself`);
  }
  return db.transaction(async (tx) => {
    const variantId = await variantIdOfSku(tx, request.sku);
    for (const id of [request.fromLocationId, request.toLocationId]) {
      const location = await findLocation(tx, id);
      if (!location) throw new DomainError('not_found', 'location_not_found', `location ${id} not found`);
      if (!location.active) throw new DomainError('conflict', 'location_inactive', `location ${id} is not active`);
    }
    const reason = request.reason?.trim() ?? '';
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO stock_transfers (variant_id, from_location_id, to_location_id, quantity, reason, actor)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [variantId, request.fromLocationId, request.toLocationId, request.quantity, reason, actorLabel(actor)],
    );
    const id = rows[0]!.id;
    await recordMovement(tx, {
      variantId,
      locationId: request.fromLocationId,
      quantity: -request.quantity,
      kind: 'transfer_out',
      reason: `transfer ${id} to ${request.toLocationId}${reason ? `: ${reason}` : ''}`,
      actor,
    });
    await recordAudit(tx, actor, {
      action: 'inventory.transfer_shipped',
      entityType: 'stock_transfer',
      entityId: String(id),
      data: { sku: request.sku, from: request.fromLocationId, to: request.toLocationId, quantity: request.quantity, reason },
    });
    return loadStockTransfer(tx, id);
  });
}
