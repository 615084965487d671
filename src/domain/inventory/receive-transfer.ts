import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { recordArrival } from './record-arrival.js';
import { loadStockTransfer, type StockTransfer } from './stock-transfer.js';

/**
 * Books an in-transit transfer in at its destination as a `transfer_in` movement. The transfer
 * row is locked first, so receiving it twice (two clicks, a retry) books the units once. The
 * units go to lines backordered at the destination first.
 */
export async function receiveTransfer(db: Db, transferId: number, actor: Actor): Promise<StockTransfer> {
  return db.transaction(async (tx) => {
    const transfer = await loadStockTransfer(tx, transferId, { lock: true });
    if (transfer.status !== 'in_transit') {
      throw new DomainError('conflict', 'transfer_not_in_transit', `stock transfer ${transferId} is ${transfer.status}, not in transit`);
    }
    await recordArrival(tx, {
      variantId: transfer.variant_id,
      locationId: transfer.to_location_id,
      quantity: transfer.quantity,
      kind: 'transfer_in',
      reason: `transfer ${transferId} from ${transfer.from_location_id}`,
      actor,
    });
    await tx.query(`UPDATE stock_transfers SET status = 'received', received_at = now() WHERE id = $1`, [transferId]);
    await recordAudit(tx, actor, {
      action: 'inventory.transfer_received',
      entityType: 'stock_transfer',
      entityId: String(transferId),
      data: { sku: transfer.sku, to: transfer.to_location_id, quantity: transfer.quantity },
    });
    return loadStockTransfer(tx, transferId);
  });
}
