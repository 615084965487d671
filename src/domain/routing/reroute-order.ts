import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { loadOrder, type OrderRecord } from '../orders/order-repository.js';
import type { RoutingExplanation } from './decide-routing.js';
import { currentRoutingOrder, rerouteOrderLines } from './reroute-order-lines.js';
import { quoteRoutingCandidates } from './route-order-stock.js';
import type { RoutingSettings } from './routing-settings.js';

const REROUTABLE = new Set(['pending', 'pending (item modified)', 'processed', 'on_hold']);

/**
 * Routes a pending or processed order again (optionally only from the given locations): its
 * reservations move to where the new decision ships from. Refused once any part has a shipment,
 * since a label already says where it leaves from.
 */
export async function rerouteOrder(
  db: Db,
  args: { orderId: string; forcedLocations?: string[]; reason?: string },
  actor: Actor,
  settings: RoutingSettings,
): Promise<{ order: OrderRecord; decision: RoutingExplanation }> {
  const before = await loadOrder(db, args.orderId);
  if (!before) throw new DomainError('not_found', 'order_not_found', `order ${args.orderId} not found`);
  if (args.forcedLocations?.length) {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM locations WHERE id = ANY($1::text[])', [args.forcedLocations]);
    const unknown = args.forcedLocations.filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length) throw new DomainError('invalid', 'location_not_found', `unknown location ${unknown.join(', ')}`);
  }
  // Quotes before the transaction: the stock locks are never held over a carrier call.
  const quotes = await quoteRoutingCandidates(db, settings, await currentRoutingOrder(db, args.orderId));
  return db.transaction(async (tx) => {
    const order = (await loadOrder(tx, args.orderId, { forUpdate: true }))!;
    if (!REROUTABLE.has(order.status)) {
      throw new DomainError('conflict', 'order_not_reroutable', `order ${order.id} is ${order.status}; only pending, on-hold or processed orders can be rerouted`);
    }
    const shipped = await tx.query('SELECT 1 FROM order_lines WHERE order_id = $1 AND shipment_id IS NOT NULL LIMIT 1', [order.id]);
    if (shipped.rows.length) throw new DomainError('conflict', 'order_has_shipment', `order ${order.id} already has a shipment; void it before rerouting`);
    const decision = await rerouteOrderLines(tx, order.id, 'reroute', actor, {
      settings,
      quotes,
      ...(args.forcedLocations?.length ? { forcedLocations: args.forcedLocations } : {}),
    });
    await recordAudit(tx, actor, {
      action: 'order.rerouted',
      entityType: 'order',
      entityId: order.id,
      data: { reason: args.reason ?? '', forcedLocations: args.forcedLocations ?? null, locations: decision.winner.locations },
    });
    return { order: (await loadOrder(tx, order.id))!, decision };
  });
}
