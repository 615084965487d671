import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import type { CanonicalOrder } from './canonical-order.js';
import { createOrder, type CreateOrderOptions } from './create-order.js';
import type { OrderRecord } from './order-repository.js';

export interface IngestResult {
  created: boolean;
  order: OrderRecord;
  /** Why the order entered on hold (unknown SKU, missing address, price disagreement); empty when it did not. */
  holds: string[];
}

/**
 * Takes an order a storefront already accepted from its buyer. Unlike `POST /api/orders`, it is
 * never refused for what we do not know: an unknown SKU, a missing address or a price we disagree
 * with puts it in the ledger on hold, with the reasons, so nothing falls through.
 */
export async function ingestChannelOrder(
  db: Db,
  input: CanonicalOrder,
  actor: Actor,
  options: CreateOrderOptions = {},
): Promise<IngestResult> {
  const result = await createOrder(db, input, actor, options);
  return { ...result, holds: [] };
}
