import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { toCents } from '../money.js';
import { loadOrder } from '../orders/order-repository.js';
import { transitionOrder } from '../orders/order-state-machine.js';
import { applyHeldTrackingEvents } from './apply-tracking-updates.js';
import { buyShipmentLabel, type PriceCap } from './buy-shipment-label.js';
import type { Carrier } from './carrier.js';
import { fulfilmentRefusal } from './fulfilment-refusal.js';
import { listOrderShipments, type Shipment } from './shipment-repository.js';

export interface FulfilmentResult {
  orderId: string;
  status: string;
  /** The order's live (not voided) shipments after the call. */
  shipments: Shipment[];
  /** Labels this call bought; zero when everything was labelled already. */
  labelsBought: number;
}

/**
 * Fulfils a paid, routed order: one shipment per location its lines ship from, a label for each
 * (cheapest quote meeting the order's service level and promise), and the order moved to
 * processed. Idempotent: the shipments and their label keys are committed before any carrier is
 * called, so running it again (or after a crash) completes what is missing and buys nothing twice.
 * Refuses (DomainError conflict, with the reason) a held, unpaid, unrouted or closed order.
 */
export async function fulfilOrder(
  db: Db,
  carriers: readonly Carrier[],
  orderId: string,
  actor: Actor,
  options: { now?: Date; /** The most the labels bought by this call may cost in all. */ maxTotal?: PriceCap } = {},
): Promise<FulfilmentResult> {
  const now = options.now ?? new Date();
  const pending = await db.transaction(async (tx) => {
    const order = await loadOrder(tx, orderId, { forUpdate: true });
    if (!order) throw new DomainError('not_found', 'order_not_found', `order ${orderId} not found`);
    const unshipped = await tx.query<{ id: string; position: number; location_id: string | null; variant_id: string; quantity: number; backordered_quantity: number }>(
      'SELECT id, position, location_id, variant_id, quantity, backordered_quantity FROM order_lines WHERE order_id = $1 AND shipment_id IS NULL AND requires_shipping ORDER BY position',
      [orderId],
    );
    const unlabelled = (await listOrderShipments(tx, orderId)).filter((s) => !s.labelPurchasedAt && !s.voidedAt);
    if (unshipped.rows.length === 0 && unlabelled.length === 0) return [];
    const refusal = fulfilmentRefusal(order);
    if (refusal) throw new DomainError('conflict', 'not_fulfillable', refusal);
    const open = splitBackordered(orderId, unshipped.rows, unlabelled.length);

    const byLocation = new Map<string, typeof open.rows>();
    for (const l of open.rows) byLocation.set(l.location_id!, [...(byLocation.get(l.location_id!) ?? []), l]);
    const { rows: last } = await tx.query<{ n: number }>(
      'SELECT COALESCE(max(position), -1)::int AS n FROM shipments WHERE order_id = $1',
      [orderId],
    );
    let position = last[0]!.n;
    const { rows: promise } = await tx.query<{ promised_delivery_at: Date | null }>(
      'SELECT promised_delivery_at FROM orders WHERE id = $1',
      [orderId],
    );
    for (const [locationId, lines] of byLocation) {
      position += 1;
      const itemIds = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.variant_id));
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO shipments (order_id, position, item_ids, location_id, status, promised_at, weight_grams)
         SELECT $1, $2, $3, $4, 'pending', $5, COALESCE(sum(v.weight_grams * l.quantity), 0)
           FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.id = ANY($6::bigint[])
         RETURNING id`,
        [orderId, position, itemIds, locationId, promise[0]!.promised_delivery_at, lines.map((l) => l.id)],
      );
      const shipmentId = Number(rows[0]!.id);
      await tx.query(`UPDATE shipments SET label_idempotency_key = $2 WHERE id = $1`, [shipmentId, await labelKey(tx, orderId, locationId, shipmentId)]);
      await tx.query('UPDATE order_lines SET shipment_id = $2 WHERE id = ANY($1::bigint[])', [lines.map((l) => l.id), shipmentId]);
      const payload = { shipmentId, orderId, locationId, itemIds };
      await writeOutbox(tx, 'shipment.created', payload);
      await recordAudit(tx, actor, { action: 'shipment.created', entityType: 'shipment', entityId: String(shipmentId), data: payload });
    }
    return (await listOrderShipments(tx, orderId)).filter((s) => !s.labelPurchasedAt && !s.voidedAt);
  });

  let labelsBought = 0;
  let spentCents = 0;
  for (const s of pending) {
    const cap = options.maxTotal ? { maxAmount: { ...options.maxTotal, cents: options.maxTotal.cents - spentCents } } : {};
    const outcome = await buyShipmentLabel(db, carriers, s.id, actor, { now, ...cap });
    if (outcome.bought) labelsBought += 1;
    if (outcome.bought) spentCents += toCents(outcome.shipment.rateAmount ?? 0);
  }

  if (pending.length > 0) {
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ status: string }>('SELECT status FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
      const labelled = (await listOrderShipments(tx, orderId)).every((s) => s.labelPurchasedAt || s.voidedAt);
      // A concurrent call may have moved it already; the row lock makes one of them do it.
      if (labelled && (rows[0]?.status === 'pending' || rows[0]?.status === 'pending (item modified)')) {
        await transitionOrder(tx, orderId, { to: 'processed', actor, reason: `labels purchased for ${pending.length} shipment(s)` });
      }
    });
  }
  // A webhook may have reported a parcel before its label was recorded here.
  if (labelsBought > 0) await applyHeldTrackingEvents(db, actor);
  const shipments = (await listOrderShipments(db, orderId)).filter((s) => !s.voidedAt);
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
  return { orderId, status: rows[0]!.status, shipments, labelsBought };
}

/**
 * The lines that may ship now. A line with backordered units holds no stock for them, so it waits
 * (whole, to stay one parcel) until they are reserved; the rest of the order ships. Refuses when
 * nothing else is left to do.
 */
function splitBackordered<L extends { position: number; backordered_quantity: number }>(orderId: string, lines: L[], unlabelled: number): { rows: L[] } {
  const waiting = lines.filter((l) => l.backordered_quantity > 0);
  const rows = lines.filter((l) => l.backordered_quantity === 0);
  if (rows.length === 0 && unlabelled === 0) {
    const which = waiting.map((l) => `line ${l.position} (${l.backordered_quantity} backordered)`).join(', ');
    throw new DomainError('conflict', 'backordered', `order ${orderId} cannot ship yet: ${which} waits for stock; it is reserved as stock is received at the line's location`);
  }
  return { rows };
}

/**
 * The key a part's label is bought with, stored with the shipment before any carrier hears of it.
 * It names the order, the location and how many shipments that location had for the order before
 * (voided or live: a part added later, for lines that waited, must not reuse a key), not the
 * shipment's serial id: when the caller's transaction (an agent approval, say) rolls back after
 * the carrier sold the label, the retry makes a shipment with a new id but the same key, and the
 * carrier hands back the label it sold.
 */
async function labelKey(tx: Db, orderId: string, locationId: string, shipmentId: number): Promise<string> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM shipments WHERE order_id = $1 AND location_id = $2 AND id <> $3`,
    [orderId, locationId, shipmentId],
  );
  return `label:${orderId}:${locationId}:${rows[0]!.n + 1}`;
}
