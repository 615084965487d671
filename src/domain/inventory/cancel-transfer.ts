import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { recordArrival } from './record-arrival.js';
import { loadStockTransfer, type StockTransfer } from './stock-transfer.js';

/**
 * Calls back a transfer that has not arrived: the units return to the source as a
 * `transfer_in` movement there, and the transfer is cancelled. Only an in-transit transfer.
 * The units go to lines backordered at the source first.
 */
export async function cancelTransfer(db: Db, transferId: number, reason: string, actor: Actor): Promise<StockTransfer> {
  const why = reason.trim();
  if (!why) throw new DomainError('invalid', 'cancel_reason_required', 'cancelling a transfer needs a reason');
  return db.transaction(async (tx) => {
    const transfer = await loadStockTransfer(tx, transferId, { lock: true });
    if (transfer.status !== 'in_transit') {
      throw new DomainError('conflict', 'transfer_not_in_transit', `stock transfer ${transferId} is ${transfer.status}, not in transit`);
    }
    await recordArrival(tx, {
      variantId: transfer.variant_id,
      locationId: transfer.from_location_id,
      quantity: transfer.quantity,
      kind: 'transfer_in',
      reason: `transfer ${transferId} cancelled, returned: ${why}`,
      actor,
    });
    await tx.query(`UPDATE stock_transfers SET status = 'cancelled', received_at = now() WHERE id = $1`, [transferId]);
    await recordAudit(tx, actor, {
      action: 'inventory.transfer_cancelled',
      entityType: 'stock_transfer',
      entityId: String(transferId),
      data: { sku: transfer.sku, returnedTo: transfer.from_location_id, quantity: transfer.quantity, reason: why },
    });
    return loadStockTransfer(tx, transferId);
  });
}
