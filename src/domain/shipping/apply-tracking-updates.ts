import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { fulfilReservations } from '../inventory/fulfil-reservations.js';
import { transitionOrder } from '../orders/order-state-machine.js';
import { TRACKING_STATUSES, type TrackingEvent, type TrackingStatus, type TrackingUpdate } from './carrier.js';
import { orderStatusFromShipments, TRACKED_ORDER_STATUSES } from './order-status-from-shipments.js';
import { foldShipmentStatus, hasShipped } from './shipment-status.js';
import { findShipmentByTracking, listOrderShipments } from './shipment-repository.js';

export interface TrackingOutcome {
  trackingNumber: string;
  shipmentId: number | null;
  /** Events stored by this call (a repeat of one already stored is not counted). */
  stored: number;
  from: string | null;
  to: string | null;
  orderStatus: string | null;
}

/**
 * Applies what a carrier reports (a verified webhook or a poll). Each event is stored once, keyed
 * by its event key; the shipment's status is then folded from all its events (foldShipmentStatus),
 * so it only ever moves forward. When a shipment first ships, its order lines' reservations
 * become sales; the order's status follows its shipments through the state machine. Updates for
 * a tracking number no shipment of the account carries yet are kept (reported with shipmentId
 * null) and applied with the next update for that number once its label is recorded
 * (applyHeldTrackingEvents), since a webhook may outrun the label's record.
 */
export async function applyTrackingUpdates(
  db: Db,
  account: string,
  updates: readonly TrackingUpdate[],
  actor: Actor,
): Promise<TrackingOutcome[]> {
  const outcomes: TrackingOutcome[] = [];
  for (const update of updates) outcomes.push(await db.transaction((tx) => applyOne(tx, account, update, actor)));
  return outcomes;
}

async function applyOne(tx: Db, account: string, update: TrackingUpdate, actor: Actor): Promise<TrackingOutcome> {
  const found = await findShipmentByTracking(tx, account, update.trackingNumber);
  const none = { trackingNumber: update.trackingNumber, shipmentId: null, stored: 0, from: null, to: null, orderStatus: null };
  if (!found) {
    if (update.events.length) {
      await tx.query(
        'INSERT INTO unmatched_tracking_events (account, tracking_number, carrier, events) VALUES ($1, $2, $3, $4)',
        [account, update.trackingNumber, update.carrier, JSON.stringify(update.events)],
      );
    }
    return none;
  }
  // The order row first, then the shipment: the order every writer of both takes.
  await tx.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [found.orderId]);
  const { rows: locked } = await tx.query<{ status: string }>('SELECT status FROM shipments WHERE id = $1 FOR UPDATE', [found.id]);
  const current = locked[0]!.status;

  const { rows: held } = await tx.query<{ carrier: string; events: (Omit<TrackingEvent, 'occurredAt' | 'expectedDeliveryAt'> & { occurredAt: string; expectedDeliveryAt?: string | null })[] }>(
    `UPDATE unmatched_tracking_events SET applied_at = now(), shipment_id = $3
      WHERE account = $1 AND tracking_number = $2 AND applied_at IS NULL RETURNING carrier, events`,
    [account, update.trackingNumber, found.id],
  );
  const incoming = [
    ...held.flatMap((h) => h.events.map((e) => ({
      carrier: h.carrier,
      event: { ...e, occurredAt: new Date(e.occurredAt), expectedDeliveryAt: e.expectedDeliveryAt ? new Date(e.expectedDeliveryAt) : null },
    }))),
    ...update.events.map((event) => ({ carrier: update.carrier, event })),
  ];
  let stored = 0;
  const added: { status: string; detail: string; location: string; occurredAt: string; expectedDeliveryAt: string | null }[] = [];
  for (const { carrier, event: e } of incoming) {
    if (!(TRACKING_STATUSES as readonly string[]).includes(e.status)) continue;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO tracking_events (shipment_id, carrier, event_key, status, detail, location, occurred_at, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
      [found.id, carrier, `${account}:${e.eventKey}`, e.status, e.detail, e.location, e.occurredAt.toISOString(),
        JSON.stringify({ expectedDeliveryAt: e.expectedDeliveryAt?.toISOString() ?? null })],
    );
    stored += rows.length;
    if (rows.length) {
      added.push({ status: e.status, detail: e.detail, location: e.location, occurredAt: e.occurredAt.toISOString(), expectedDeliveryAt: e.expectedDeliveryAt?.toISOString() ?? null });
    }
  }

  const { rows: events } = await tx.query<{ status: TrackingStatus; occurred_at: Date | string; raw: { expectedDeliveryAt?: string | null } }>(
    'SELECT status, occurred_at, raw FROM tracking_events WHERE shipment_id = $1 ORDER BY occurred_at, id',
    [found.id],
  );
  const history = events.map((e) => ({ status: e.status, occurredAt: new Date(e.occurred_at), expected: e.raw?.expectedDeliveryAt ?? null }));
  const next = foldShipmentStatus(current, history);
  const firstScan = history.find((e) => hasShipped(e.status) || e.status === 'delivered');
  const delivered = history.find((e) => e.status === 'delivered');
  const lastAt = history.length ? history[history.length - 1]!.occurredAt : null;
  const expected = [...history].reverse().find((e) => e.expected)?.expected ?? null;
  await tx.query(
    `UPDATE shipments SET status = $2, shipped_at = COALESCE(shipped_at, $3), delivered_at = COALESCE(delivered_at, $4),
            last_event_at = $5, expected_delivery_at = COALESCE($6, expected_delivery_at), updated_at = now()
      WHERE id = $1`,
    [found.id, next, hasShipped(next) || next === 'delivered' ? (firstScan?.occurredAt ?? lastAt)?.toISOString() ?? null : null,
      next === 'delivered' || next === 'returned' ? delivered?.occurredAt.toISOString() ?? null : null, lastAt?.toISOString() ?? null, expected],
  );

  if (added.length) {
    // Every new scan, status change or not: a carrier's delay or a later estimate is news too.
    await writeOutbox(tx, 'shipment.tracking_updated', {
      shipmentId: found.id, orderId: found.orderId, trackingNumber: update.trackingNumber, status: next, expectedDeliveryAt: expected, events: added,
    });
  }
  if (next !== current) {
    const payload = { shipmentId: found.id, orderId: found.orderId, trackingNumber: update.trackingNumber, from: current, to: next };
    await writeOutbox(tx, 'shipment.status_changed', payload);
    await recordAudit(tx, actor, { action: 'shipment.status_changed', entityType: 'shipment', entityId: String(found.id), data: payload });
    if (!hasShipped(current) && current !== 'delivered' && (hasShipped(next) || next === 'delivered')) {
      const { rows: lines } = await tx.query<{ id: number }>('SELECT id FROM order_lines WHERE shipment_id = $1', [found.id]);
      if (lines.length) await fulfilReservations(tx, { orderId: found.orderId, orderLineIds: lines.map((l) => Number(l.id)), actor });
    }
  }
  const orderStatus = await followShipments(tx, found.orderId, actor);
  return { trackingNumber: update.trackingNumber, shipmentId: found.id, stored, from: current, to: next, orderStatus };
}

/**
 * Applies the kept events whose tracking number a shipment of the same account now carries (its
 * label was recorded after they arrived). Run after labels are bought and before each poll.
 */
export async function applyHeldTrackingEvents(db: Db, actor: Actor): Promise<TrackingOutcome[]> {
  const { rows } = await db.query<{ account: string; tracking_number: string; carrier: string }>(
    `SELECT DISTINCT u.account, u.tracking_number, u.carrier FROM unmatched_tracking_events u
       JOIN shipments s ON s.carrier_account = u.account AND s.tracking_number = u.tracking_number
      WHERE u.applied_at IS NULL`,
  );
  const outcomes: TrackingOutcome[] = [];
  for (const r of rows) {
    outcomes.push(...(await applyTrackingUpdates(db, r.account, [{ trackingNumber: r.tracking_number, carrier: r.carrier, events: [] }], actor)));
  }
  return outcomes;
}

/** Moves the order to the status its shipments imply, when the state machine allows it. */
async function followShipments(tx: Db, orderId: string, actor: Actor): Promise<string> {
  const { rows } = await tx.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
  const status = rows[0]!.status;
  if (!TRACKED_ORDER_STATUSES.includes(status)) return status;
  const { rows: unshipped } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM order_lines l LEFT JOIN shipments s ON s.id = l.shipment_id
      WHERE l.order_id = $1 AND l.requires_shipping AND (s.id IS NULL OR s.voided_at IS NOT NULL)`,
    [orderId],
  );
  const target = orderStatusFromShipments((await listOrderShipments(tx, orderId)).map((s) => s.status), unshipped[0]!.n);
  if (!target || target === status) return status;
  await transitionOrder(tx, orderId, { to: target, actor, reason: 'carrier tracking' });
  return target;
}
