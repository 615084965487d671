import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { holdsReservations, rerouteOrderLines } from '../routing/reroute-order-lines.js';
import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../routing/routing-settings.js';
import { labelledPartRefusal } from '../shipping/labelled-part-refusal.js';
import { loadOrder, type OrderRecord } from './order-repository.js';
import { orderNotFound } from './retail-operation-errors.js';
import type { RetailAddress } from './retail-order.js';

export interface ModifyPendingOrderAddressArgs extends RetailAddress {
  orderId: string;
}

/**
 * Ships a `pending` order to another address, routing it again when it holds stock. Only an order exactly in `pending` qualifies: once
 * its items were modified it is considered final (the reference's v1 rule).
 */
export async function modifyPendingOrderAddress(
  db: Db,
  args: ModifyPendingOrderAddressArgs,
  actor: Actor,
  options: { routing?: RoutingSettings } = {},
): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'pending') throw new DomainError('conflict', 'order_not_pending', 'non-pending order cannot be modified');
    const labelled = await labelledPartRefusal(tx, order.id);
    if (labelled) throw new DomainError('conflict', 'order_partly_labelled', labelled);
    const to: RetailAddress = {
      address1: args.address1,
      address2: args.address2,
      city: args.city,
      country: args.country,
      state: args.state,
      zip: args.zip,
    };
    await tx.query(
      `UPDATE orders SET address1 = $2, address2 = $3, city = $4, state = $5, country = $6, zip = $7, updated_at = now()
        WHERE id = $1`,
      [order.id, to.address1, to.address2, to.city, to.state, to.country, to.zip],
    );
    await recordAudit(tx, actor, {
      action: 'order.address_changed',
      entityType: 'order',
      entityId: order.id,
      data: { from: order.address, to },
    });
    // A new destination can change the best location and the promised date.
    if (await holdsReservations(tx, order.id)) {
      await rerouteOrderLines(tx, order.id, 'address_changed', actor, { settings: options.routing ?? DEFAULT_ROUTING_SETTINGS });
    }
    return (await loadOrder(tx, order.id))!;
  });
}
