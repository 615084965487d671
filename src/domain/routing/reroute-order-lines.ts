import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { releaseReservationsForOrder } from '../inventory/release-reservations-for-order.js';
import { reserveMany } from '../inventory/reserve.js';
import type { RoutingExplanation } from './decide-routing.js';
import { buildRoutingOrder, recordRoutingDecision, routeOrderStock, type RoutingTrigger } from './route-order-stock.js';
import type { RoutingOrder } from './routing-order.js';
import type { RoutingSettings } from './routing-settings.js';
import type { ServiceLevel } from '../shipping/carrier.js';
import type { ShippingQuote } from './shipping-quoter.js';

interface LineRow {
  id: number;
  position: number;
  product_id: string;
  variant_id: string;
  name: string;
  options: Record<string, string>;
  price: string;
  quantity: number;
  sku: string;
}

/** The order as routing sees it now: its lines (keyed by line id), address, service level, channel and customer tags. */
export async function currentRoutingOrder(db: Db, orderId: string): Promise<RoutingOrder> {
  const [{ rows: lines }, { rows: orders }] = await Promise.all([
    db.query<LineRow>(
      `SELECT l.id, l.position, l.product_id, l.variant_id, l.name, l.options, l.price::text AS price, l.quantity, v.sku
         FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = $1 ORDER BY l.position, l.id`,
      [orderId],
    ),
    db.query<{ country: string; state: string; zip: string; service_level: ServiceLevel; channel: string; tags: string[] }>(
      `SELECT o.country, o.state, o.zip, o.service_level, o.channel, c.tags
         FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1`,
      [orderId],
    ),
  ]);
  const o = orders[0]!;
  return buildRoutingOrder(db, {
    destination: { country: o.country, state: o.state, zip: o.zip },
    serviceLevel: o.service_level,
    channel: o.channel,
    customerTags: o.tags,
    lines: lines.map((l) => ({ key: String(l.id), variantId: l.variant_id, quantity: l.quantity, priceCents: Math.round(Number(l.price) * 100) })),
  });
}

/**
 * Routes an order's current lines again inside the caller's transaction: gives back what it
 * holds, decides with the stock locked, moves each line to where it now ships from (a line
 * split across locations becomes one line per location), reserves there and stores the
 * decision. All or nothing: a refusal throws and the caller's transaction rolls back.
 */
export async function rerouteOrderLines(
  tx: Db,
  orderId: string,
  trigger: RoutingTrigger,
  actor: Actor,
  options: { settings: RoutingSettings; quotes?: Map<string, ShippingQuote | null>; forcedLocations?: string[] },
): Promise<RoutingExplanation> {
  await releaseReservationsForOrder(tx, orderId, actor, `rerouted: ${trigger.replace('_', ' ')}`);
  const order = await currentRoutingOrder(tx, orderId);
  const decision = await routeOrderStock(tx, order, options);

  const { rows: lines } = await tx.query<LineRow>(
    `SELECT l.id, l.position, l.product_id, l.variant_id, l.name, l.options, l.price::text AS price, l.quantity, v.sku
       FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = $1 ORDER BY l.position, l.id`,
    [orderId],
  );
  const byId = new Map(lines.map((l) => [String(l.id), l]));
  let nextPosition = Math.max(-1, ...lines.map((l) => l.position)) + 1;
  const kept = new Set<string>();
  const reservations: { variantId: string; locationId: string; quantity: number; orderLineId: number; sku: string }[] = [];
  for (const part of decision.parts) {
    for (const pl of part.lines) {
      const line = byId.get(pl.key)!;
      let lineId = line.id;
      if (!kept.has(pl.key)) {
        kept.add(pl.key);
        await tx.query('UPDATE order_lines SET quantity = $2, location_id = $3, backordered_quantity = $4 WHERE id = $1', [
          line.id,
          pl.quantity + pl.backordered,
          part.locationId,
          pl.backordered,
        ]);
      } else {
        const ins = await tx.query<{ id: number }>(
          `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, options, price, quantity, location_id, backordered_quantity)
           VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10) RETURNING id`,
          [orderId, nextPosition++, line.product_id, line.variant_id, line.name, JSON.stringify(line.options), line.price,
            pl.quantity + pl.backordered, part.locationId, pl.backordered],
        );
        lineId = ins.rows[0]!.id;
      }
      if (pl.quantity > 0) reservations.push({ variantId: line.variant_id, locationId: part.locationId, quantity: pl.quantity, orderLineId: lineId, sku: line.sku });
    }
  }
  await reserveMany(tx, { orderId, actor, items: reservations });
  await recordRoutingDecision(tx, orderId, trigger, decision, actor);
  return decision;
}

/** Whether the order holds stock now (orders imported as history hold none and are not rerouted). */
export async function holdsReservations(db: Db, orderId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM reservations WHERE order_id = $1 AND status = 'active' LIMIT 1`, [orderId]);
  return rows.length > 0;
}
