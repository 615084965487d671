import { toRetailOrder, type OrderRecord } from '../domain/orders/order-repository.js';
import { fromCents } from '../domain/money.js';
import { channelFulfilmentView } from './channel-fulfilment-view.js';

/**
 * The order as the model sees it: the retail shape (items, fulfillments, payment history) plus
 * what ops needs at a glance (channel, placed date, hold reason, shipment progress, totals).
 */
export function orderView(record: OrderRecord): Record<string, unknown> {
  const retail = toRetailOrder(record);
  const total = record.lines.reduce((s, l) => s + l.priceCents * l.quantity, 0);
  return {
    ...retail,
    channel: record.channel,
    placed_at: record.placedAt.toISOString(),
    total: fromCents(total),
    ...(record.holdReason ? { hold_reason: record.holdReason } : {}),
    ...(record.shipments.length
      ? {
          shipments: record.shipments
            .filter((f) => f.status !== 'voided')
            .map((f) => ({
              tracking_ids: f.trackingIds,
              carrier: f.carrier,
              service: f.service,
              status: f.status,
              shipped_at: f.shippedAt?.toISOString() ?? null,
              promised_at: f.promisedAt?.toISOString() ?? null,
              expected_delivery_at: f.expectedDeliveryAt?.toISOString() ?? null,
              delivered_at: f.deliveredAt?.toISOString() ?? null,
              ...(f.channelFulfilment ? { channel_fulfilment: channelFulfilmentView(f.channelFulfilment) } : {}),
            })),
        }
      : {}),
  };
}

/** One line per order for lists. */
export function orderSummary(record: OrderRecord): Record<string, unknown> {
  return {
    order_id: record.id,
    customer_id: record.customerId,
    status: record.status,
    channel: record.channel,
    placed_at: record.placedAt.toISOString(),
    total: fromCents(record.lines.reduce((s, l) => s + l.priceCents * l.quantity, 0)),
    items: record.lines.map((l) => l.name),
    ...(record.holdReason ? { hold_reason: record.holdReason } : {}),
  };
}
