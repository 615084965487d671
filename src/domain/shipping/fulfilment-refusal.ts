import { storedOrderTotal } from '../orders/order-total.js';
import type { OrderRecord } from '../orders/order-repository.js';

/**
 * Statuses from which an order's parcels may be labelled. A partly shipped order (or one in
 * exception) may still have lines on no live shipment, a voided part's for instance; only those
 * are labelled.
 */
export const FULFILLABLE_STATUSES: readonly string[] = ['pending', 'pending (item modified)', 'processed', 'partially_shipped', 'exception'];

/**
 * Why the order cannot be fulfilled now, or null. Held orders never ship; an order ships only
 * once paid in full and once every line that ships knows the location it ships from.
 */
export function fulfilmentRefusal(order: OrderRecord): string | null {
  if (order.status === 'on_hold') {
    return `order ${order.id} is on hold${order.holdReason ? ` (${order.holdReason})` : ''}; release it first`;
  }
  if (!FULFILLABLE_STATUSES.includes(order.status)) return `order ${order.id} is ${order.status} and cannot be fulfilled`;
  // What the buyer owes after discounts, with shipping and tax: what a storefront charged.
  const total = storedOrderTotal(order).totalCents;
  const paid = order.payments.reduce((s, p) => s + (p.kind === 'payment' ? p.amountCents : -p.amountCents), 0);
  if (order.lines.length === 0) return `order ${order.id} has no lines`;
  if (paid < total) return `order ${order.id} is not paid in full`;
  // A gift card or a service ships from nowhere.
  const unrouted = order.lines.filter((l) => l.requiresShipping && !l.locationId);
  if (unrouted.length) return `order ${order.id} is not routed: line ${unrouted.map((l) => l.position).join(', ')} has no location`;
  return null;
}
