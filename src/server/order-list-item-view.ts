import { z } from 'zod';
import { fromCents } from '../domain/money.js';
import type { OrderListEntry } from '../domain/orders/list-orders.js';
import { storedOrderTotal } from '../domain/orders/order-total.js';

export const orderListItemSchema = z.object({
  id: z.string(),
  status: z.string(),
  channel: z.string(),
  external_id: z.string(),
  customer_id: z.string(),
  customer_name: z.string().nullable(),
  email: z.string().nullable(),
  currency: z.string(),
  total: z.number(),
  placed_at: z.string(),
  status_changed_at: z.string(),
  hold_reason: z.string().nullable(),
  lines: z.array(z.object({ sku: z.string().nullable(), name: z.string(), quantity: z.number().int() })),
  tracking_numbers: z.array(z.string()),
});

/** An order as GET /api/orders lists it: enough to find it and open it, not the whole record. */
export function orderListItemView({ order: o, customerName }: OrderListEntry): z.infer<typeof orderListItemSchema> {
  return {
    id: o.id,
    status: o.status,
    channel: o.channel,
    external_id: o.externalId,
    customer_id: o.customerId,
    customer_name: customerName,
    email: o.email,
    currency: o.currency,
    total: fromCents(storedOrderTotal(o).totalCents),
    placed_at: o.placedAt.toISOString(),
    status_changed_at: o.statusChangedAt.toISOString(),
    hold_reason: o.holdReason,
    lines: o.lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity })),
    tracking_numbers: [...new Set(o.shipments.flatMap((s) => [s.trackingNumber, ...s.trackingIds].filter((t): t is string => Boolean(t))))],
  };
}
