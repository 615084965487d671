import { fromCents } from '../domain/money.js';
import type { OrderRecord } from '../domain/orders/order-repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The order as the REST API shows it: snake_case, money in currency units. */
export function orderView(o: OrderRecord) {
  const paid = o.payments.filter((p) => p.kind === 'payment').reduce((s, p) => s + p.amountCents, 0);
  const refunded = o.payments.filter((p) => p.kind === 'refund').reduce((s, p) => s + p.amountCents, 0);
  const total = o.lines.reduce((s, l) => s + l.priceCents * l.quantity, 0);
  return {
    id: o.id,
    status: o.status,
    channel: o.channel,
    external_id: o.externalId,
    customer_id: o.customerId,
    email: o.email,
    currency: o.currency,
    placed_at: iso(o.placedAt),
    status_changed_at: iso(o.statusChangedAt),
    shipping_address: o.address,
    total: fromCents(total),
    paid: fromCents(paid),
    refunded: fromCents(refunded),
    hold_reason: o.holdReason,
    cancel_reason: o.cancelReason,
    lines: o.lines.map((l) => ({
      id: l.id,
      position: l.position,
      product_id: l.productId,
      variant_id: l.variantId,
      name: l.name,
      options: l.options,
      price: fromCents(l.priceCents),
      quantity: l.quantity,
      location_id: l.locationId,
    })),
    fulfilments: o.fulfilments.map((f) => ({
      position: f.position,
      tracking_ids: f.trackingIds,
      item_ids: f.itemIds,
      carrier: f.carrier,
      service: f.service,
      status: f.status,
      shipped_at: iso(f.shippedAt),
      delivered_at: iso(f.deliveredAt),
    })),
    payments: o.payments.map((p) => ({
      position: p.position,
      kind: p.kind,
      amount: fromCents(p.amountCents),
      payment_method_id: p.paymentMethodId,
      created_at: iso(p.createdAt),
    })),
  };
}
