import type { OrderStatus } from '../orders/order-status.js';
import { hasShipped } from './shipment-status.js';

/** Order statuses that carrier progress may change; others (held, cancelled, returns) it leaves alone. */
export const TRACKED_ORDER_STATUSES: readonly string[] = ['processed', 'partially_shipped', 'shipped', 'exception'];

/**
 * What the order's status is, judged by its live shipments alone: any exception or return to sender →
 * exception; all delivered → delivered; all shipped → shipped; some → partially_shipped; none →
 * processed. Lines on no live shipment (a voided part, a backordered line) have not shipped, so an
 * order with any is at most partially_shipped. Null when there is nothing to judge (no live shipment).
 */
export function orderStatusFromShipments(statuses: readonly string[], unshippedLines = 0): OrderStatus | null {
  const live = statuses.filter((s) => s !== 'voided');
  if (live.length === 0) return null;
  // A parcel coming back to us needs a person as much as one stuck on the way.
  if (live.includes('exception') || live.includes('returned')) return 'exception';
  const shipped = live.filter(hasShipped).length;
  if (unshippedLines > 0) return shipped > 0 ? 'partially_shipped' : 'processed';
  if (live.every((s) => s === 'delivered')) return 'delivered';
  if (shipped === live.length) return 'shipped';
  return shipped > 0 ? 'partially_shipped' : 'processed';
}
