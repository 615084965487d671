import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import type { CanonicalOrder } from './canonical-order.js';
import { placeOrder, type CreateOrderOptions } from './create-order.js';
import type { OrderRecord } from './order-repository.js';

export interface IngestResult {
  created: boolean;
  order: OrderRecord;
  /** Why the order entered on hold (unknown SKU, missing address, price disagreement); empty when it did not. */
  holds: string[];
}

/**
 * Takes an order a storefront already accepted from its buyer. Unlike `POST /api/orders`, it is
 * never refused for what we do not know: an unknown SKU or unmapped variant, a missing address,
 * a price or total we disagree with, or stock that cannot be routed puts it in the ledger
 * `on_hold` with every reason, the unknown lines kept on the order and reserving nothing, and an
 * `order.held_on_intake` event. Idempotent on (channel, external_id) exactly as createOrder.
 */
export async function ingestChannelOrder(
  db: Db,
  input: CanonicalOrder,
  actor: Actor,
  options: CreateOrderOptions = {},
): Promise<IngestResult> {
  return placeOrder(db, input, actor, options, 'hold');
}
