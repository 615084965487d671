import type { TrackingStatus } from './carrier.js';

/**
 * Where a shipment is. `pending` has no label yet (or its purchase is under way); `pre_transit`
 * has a label and no carrier scan; `shipped` is the status tau-retail and older data carry for a
 * parcel handed over (ranked with in_transit); `voided` had its label cancelled.
 */
export const SHIPMENT_STATUSES = [
  'pending',
  'pre_transit',
  'in_transit',
  'shipped',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
  'voided',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** How far along the way a status is; exception, returned and voided are not steps of the way. */
const PROGRESS: Record<string, number> = {
  unknown: 0,
  pending: 0,
  pre_transit: 1,
  in_transit: 2,
  shipped: 2,
  out_for_delivery: 3,
  delivered: 4,
};

export const progressOf = (status: string): number => PROGRESS[status] ?? 0;

/** The carrier has the parcel (or had it): counts as shipped for the order and for stock. */
export const hasShipped = (status: string): boolean =>
  progressOf(status) >= 2 || status === 'returned' || status === 'exception';

/** Statuses that no carrier event changes any more. */
export const isClosedShipment = (status: string): boolean => status === 'returned' || status === 'voided';

export interface StoredEvent {
  status: TrackingStatus;
  occurredAt: Date;
}

const BY_PROGRESS = ['pre_transit', 'pre_transit', 'in_transit', 'out_for_delivery', 'delivered'] as const;

/**
 * The shipment's status from every event it has ever received, whatever order they came in, so a
 * duplicate, late or out-of-order event can never move it backwards: progress is the furthest
 * step any event reached (never less than where the shipment stood); an exception stands only
 * while no event after it shows progress; delivered is final unless the parcel comes back;
 * returned is final.
 */
export function foldShipmentStatus(current: string, events: readonly StoredEvent[]): string {
  if (isClosedShipment(current)) return current;
  if (events.some((e) => e.status === 'returned')) return 'returned';
  const floor = current === 'exception' ? 0 : progressOf(current);
  const progress = Math.max(floor, ...events.filter((e) => e.status !== 'exception').map((e) => progressOf(e.status)));
  if (progress >= 4) return 'delivered';
  const lastProgressAt = Math.max(
    -Infinity,
    ...events.filter((e) => e.status !== 'exception').map((e) => e.occurredAt.getTime()),
  );
  // An exception stands until a later scan; one at the same instant as a scan stays visible.
  if (events.some((e) => e.status === 'exception' && e.occurredAt.getTime() >= lastProgressAt)) return 'exception';
  if (current === 'exception' && events.length === 0) return 'exception';
  if (current === 'shipped' && progress === 2) return 'shipped';
  return progress === 0 && current === 'pending' ? 'pending' : BY_PROGRESS[progress]!;
}
