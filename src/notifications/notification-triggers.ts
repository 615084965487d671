import type { Db } from '../db/db.js';
import { exceptionKind, isDelayScan } from './carrier-event-kind.js';
import type { NotificationTrigger } from './workflow.js';

/** One happening a workflow may start on (or be cancelled by), from one domain event. */
export interface TriggerEvent {
  trigger: NotificationTrigger;
  orderId: string;
  shipmentId: number | null;
  customerId: string;
  /** Names the happening: the same key twice is the same happening, told once per workflow. */
  dedupeKey: string;
  /** kind and detail word delays and exceptions; a refund carries amount and currency. */
  data: { kind?: string | null; detail?: string | null; [k: string]: unknown };
}

/** The outbox topics the notification engine subscribes to; triggersFromOutbox maps each. */
export const NOTIFICATION_SOURCE_TOPICS: readonly string[] = [
  'order.created',
  'order.released',
  'order.status_changed',
  'shipment.label_purchased',
  'shipment.tracking_updated',
  'payment.refunded',
];

/** Triggers a shipment (not only its order) is the subject of: their runs are per shipment. */
export const isShipmentTrigger = (t: NotificationTrigger): boolean => t.startsWith('shipment.');

interface OrderFacts {
  customer_id: string;
  status: string;
  currency: string;
  promised_delivery_at: Date | string | null;
}

interface AddedEvent {
  status: string;
  detail: string;
  location: string;
  occurredAt: string;
  expectedDeliveryAt: string | null;
}

const day = (v: Date | string) => new Date(v).toISOString().slice(0, 10);

/**
 * The notification triggers one outbox event means, read against the ledger as it stands now
 * (an order held since it was created confirms nothing). An event the engine does not care
 * about, or about an order that no longer exists, yields none.
 */
export async function triggersFromOutbox(db: Db, topic: string, payload: Record<string, unknown>): Promise<TriggerEvent[]> {
  if (!NOTIFICATION_SOURCE_TOPICS.includes(topic)) return [];
  const orderId = typeof payload.orderId === 'string' ? payload.orderId : null;
  if (!orderId) return [];
  const { rows } = await db.query<OrderFacts>('SELECT customer_id, status, currency, promised_delivery_at FROM orders WHERE id = $1', [orderId]);
  const order = rows[0];
  if (!order) return [];
  const base = { orderId, customerId: order.customer_id };
  const orderEvent = (trigger: NotificationTrigger, dedupeKey: string, data: TriggerEvent['data'] = {}): TriggerEvent => ({ ...base, shipmentId: null, trigger, dedupeKey, data });

  switch (topic) {
    case 'order.created':
    case 'order.released':
      // A held order is confirmed when it is released; both events name the same happening.
      if (order.status === 'on_hold' || order.status === 'cancelled') return [];
      return [orderEvent('order.confirmed', `order:${orderId}:confirmed`)];
    case 'order.status_changed':
      return payload.to === 'cancelled' ? [orderEvent('order.cancelled', `order:${orderId}:cancelled`, { detail: String(payload.reason ?? '') || null })] : [];
    case 'payment.refunded': {
      const position = Number(payload.position);
      const refund = orderEvent('refund.issued', `order:${orderId}:refund:${position}`, { amount: String(payload.amount), currency: order.currency, position });
      // The domain records no receipt of returned goods; it refunds a return when the items come
      // back, so a refund of an order whose return was requested is that receipt.
      return order.status === 'return requested' ? [orderEvent('return.received', `order:${orderId}:return:received`), refund] : [refund];
    }
    case 'shipment.label_purchased': {
      const shipmentId = Number(payload.shipmentId);
      return [{ ...base, shipmentId, trigger: 'shipment.shipped', dedupeKey: `shipment:${shipmentId}:shipped`, data: { carrier: payload.carrier ?? null, tracking_number: payload.trackingNumber ?? null } }];
    }
    case 'shipment.tracking_updated':
      return trackingTriggers(db, base, order, payload);
    default:
      return [];
  }
}

async function trackingTriggers(
  db: Db,
  base: { orderId: string; customerId: string },
  order: OrderFacts,
  payload: Record<string, unknown>,
): Promise<TriggerEvent[]> {
  const shipmentId = Number(payload.shipmentId);
  const added = (Array.isArray(payload.events) ? (payload.events as AddedEvent[]) : []).slice().sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const event = (trigger: NotificationTrigger, happening: string, data: TriggerEvent['data'] = {}): TriggerEvent => ({
    ...base, shipmentId, trigger, dedupeKey: `shipment:${shipmentId}:${happening}`, data,
  });
  const delivered = added.some((e) => e.status === 'delivered');
  const newExpected = typeof payload.expectedDeliveryAt === 'string' ? payload.expectedDeliveryAt : null;
  const later = delivered || !newExpected ? null : await laterEstimate(db, shipmentId, order, added, newExpected);

  const out: TriggerEvent[] = [];
  for (const e of added) {
    const delayScan = (e.status === 'in_transit' || e.status === 'exception') && isDelayScan(e.detail);
    if (delayScan && !delivered) {
      out.push(event('shipment.delayed', later ? `delayed:${later}` : `delayed:reported:${day(e.occurredAt)}`, { kind: 'carrier_delay', detail: e.detail, expected_delivery_at: newExpected }));
    }
    if (e.status === 'in_transit') out.push(event('shipment.in_transit', 'in_transit'));
    else if (e.status === 'out_for_delivery') out.push(event('shipment.out_for_delivery', 'out_for_delivery'));
    else if (e.status === 'delivered') out.push(event('shipment.delivered', 'delivered'));
    else if ((e.status === 'exception' && !delayScan) || e.status === 'returned') {
      const kind = exceptionKind(e.status, e.detail);
      out.push(event('shipment.exception', `exception:${kind}`, { kind, detail: e.detail }));
    }
  }
  if (later) out.push(event('shipment.delayed', `delayed:${later}`, { kind: 'later_estimate', detail: null, expected_delivery_at: newExpected }));
  // One happening once, even when a poll brings several scans of it.
  const seen = new Set<string>();
  return out.filter((t) => (seen.has(t.dedupeKey) ? false : (seen.add(t.dedupeKey), true)));
}

/**
 * The new expected delivery day when it is later than the one the customer knew before these
 * scans (the carrier's earlier estimate, else the promise), or null. Days are UTC calendar days.
 */
async function laterEstimate(db: Db, shipmentId: number, order: OrderFacts, added: AddedEvent[], newExpected: string): Promise<string | null> {
  const { rows } = await db.query<{ status: string; detail: string; occurred_at: Date | string; expected: string | null; promised_at: Date | string | null }>(
    `SELECT e.status, e.detail, e.occurred_at, e.raw->>'expectedDeliveryAt' AS expected, s.promised_at
       FROM shipments s LEFT JOIN tracking_events e ON e.shipment_id = s.id
      WHERE s.id = $1 ORDER BY e.occurred_at, e.id`,
    [shipmentId],
  );
  const isNew = (r: (typeof rows)[number]) =>
    added.some((a) => a.status === r.status && a.detail === r.detail && new Date(a.occurredAt).getTime() === new Date(r.occurred_at).getTime());
  const earlier = rows.filter((r) => r.occurred_at !== null && r.expected && !isNew(r));
  const before = earlier.length ? earlier[earlier.length - 1]!.expected : (rows[0]?.promised_at ?? order.promised_delivery_at);
  if (!before) return null;
  return day(newExpected) > day(before) ? day(newExpected) : null;
}
