import { fromCents } from '../domain/money.js';
import type { OrderRecord } from '../domain/orders/order-repository.js';
import { storedOrderTotal } from '../domain/orders/order-total.js';
import type { ShipmentEvent } from '../domain/shipping/shipment-repository.js';
import { channelFulfilmentView } from '../tools/channel-fulfilment-view.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The order as the REST API shows it: snake_case, money in currency units. Each shipment's
 * carrier events are shown when the caller loaded them.
 */
export function orderView(o: OrderRecord, events: ReadonlyMap<number, readonly ShipmentEvent[]> = new Map()) {
  const paid = o.payments.filter((p) => p.kind === 'payment').reduce((s, p) => s + p.amountCents, 0);
  const refunded = o.payments.filter((p) => p.kind === 'refund').reduce((s, p) => s + p.amountCents, 0);
  const totals = storedOrderTotal(o);
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
    shipping_address: o.address.address1 ? o.address : null,
    billing_address: o.extras.billingAddress,
    total: fromCents(totals.totalCents),
    subtotal: fromCents(totals.itemsCents),
    discount_total: fromCents(totals.discountCents),
    shipping_total: fromCents(totals.shippingCents),
    tax_total: fromCents(totals.taxCents),
    paid: fromCents(paid),
    refunded: fromCents(refunded),
    hold_reason: o.holdReason,
    cancel_reason: o.cancelReason,
    lines: o.lines.map((l) => ({
      id: l.id,
      position: l.position,
      product_id: l.productId,
      variant_id: l.variantId,
      sku: l.sku,
      name: l.name,
      options: l.options,
      price: fromCents(l.priceCents),
      quantity: l.quantity,
      location_id: l.locationId,
      requires_shipping: l.requiresShipping,
      gift_card: l.giftCard,
      total_discount: fromCents(l.totalDiscountCents),
      external_line_id: l.externalLineId,
      external_variant_id: l.externalVariantId,
    })),
    unmatched_lines: o.extras.unmatchedLines,
    non_stock_lines: o.extras.nonStockLines,
    shipping_lines: o.extras.shippingLines,
    discounts: o.extras.discounts,
    taxes: o.extras.taxes,
    note: o.extras.note,
    tags: o.extras.tags,
    client: o.extras.client,
    service_level: o.serviceLevel,
    promised_delivery_at: iso(o.promisedDeliveryAt),
    shipments: o.shipments.map((f) => ({
      id: f.id,
      position: f.position,
      location_id: f.locationId,
      carrier_account: f.carrierAccount,
      carrier: f.carrier,
      service: f.service,
      tracking_number: f.trackingNumber ?? f.trackingIds[0] ?? null,
      tracking_ids: f.trackingIds,
      item_ids: f.itemIds,
      status: f.status,
      promised_at: iso(f.promisedAt),
      expected_delivery_at: iso(f.expectedDeliveryAt),
      shipped_at: iso(f.shippedAt),
      delivered_at: iso(f.deliveredAt),
      label_url: f.labelUrl ?? (f.hasLabel ? `/api/shipments/${f.id}/label` : null),
      events: (events.get(f.id) ?? []).map((e) => ({ status: e.status, detail: e.detail, location: e.location, occurred_at: iso(e.occurredAt) })),
      ...(f.channelFulfilment ? { channel_fulfilment: channelFulfilmentView(f.channelFulfilment) } : {}),
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
