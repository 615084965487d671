import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { recordArrival } from './record-arrival.js';
import { variantIdOfSku } from './variant-id-of-sku.js';

export interface StockReceipt {
  sku: string;
  location_id: string;
  quantity: number;
  on_hand_before: number;
  on_hand_after: number;
  movement_id: number;
  reference: string;
}

/**
 * Goods arriving from a supplier (a purchase order, an ASN): a `receipt` movement at the
 * location. The reference (PO number, packing slip) is kept in the movement's reason. Lines
 * backordered there get the new units first (fillBackorders), in the same transaction.
 */
export async function receiveStock(
  db: Db,
  args: { sku: string; locationId: string; quantity: number; reference?: string },
  actor: Actor,
): Promise<StockReceipt> {
  if (!Number.isInteger(args.quantity) || args.quantity <= 0) {
    throw new DomainError('invalid', 'invalid_quantity', `a receipt needs a positive whole number of units, got ${args.quantity}`);
  }
  const reference = args.reference?.trim() ?? '';
  return db.transaction(async (tx) => {
    const variantId = await variantIdOfSku(tx, args.sku);
    const moved = await recordArrival(tx, {
      variantId,
      locationId: args.locationId,
      quantity: args.quantity,
      kind: 'receipt',
      reason: reference ? `received: ${reference}` : 'received',
      actor,
    });
    return {
      sku: args.sku,
      location_id: args.locationId,
      quantity: args.quantity,
      on_hand_before: moved.onHandBefore,
      on_hand_after: moved.onHandAfter,
      movement_id: moved.id,
      reference,
    };
  });
}
