import type { Db } from '../../db/db.js';
import { fromCents, toCents, type Cents } from '../money.js';
import type { CanonicalOrder } from './canonical-order.js';
import type { RetailAddress, RetailOrder, RetailOrderItem } from './retail-order.js';

export type OrderAddress = RetailAddress;

export interface OrderLine {
  id: number;
  position: number;
  productId: string;
  variantId: string;
  /** The variant's SKU as the catalog has it now; null when the variant is gone from it. */
  sku: string | null;
  name: string;
  options: Record<string, string>;
  priceCents: Cents;
  quantity: number;
  locationId: string | null;
  /** False for gift cards and services: no stock, no parcel. */
  requiresShipping: boolean;
  giftCard: boolean;
  totalDiscountCents: Cents;
  externalLineId: string | null;
  externalVariantId: string | null;
}

/** The parts of a channel's order kept as it sent them (canonical field names, money in units). */
export interface OrderExtras {
  billingAddress: Record<string, unknown> | null;
  shippingLines: NonNullable<CanonicalOrder['shipping_lines']>;
  discounts: NonNullable<CanonicalOrder['discounts']>;
  taxes: NonNullable<CanonicalOrder['taxes']>;
  note: string | null;
  tags: string[];
  /** Lines no variant of ours matched, as the channel sent them, with the reason. */
  unmatchedLines: Record<string, unknown>[];
  /** Gift cards and services not in the catalog. */
  nonStockLines: Record<string, unknown>[];
  client: Record<string, unknown> | null;
}

/** One parcel of the order: from one location, with its label and tracking once bought. */
export interface OrderShipment {
  id: number;
  position: number;
  trackingIds: string[];
  itemIds: string[];
  locationId: string | null;
  carrierAccount: string | null;
  carrier: string | null;
  service: string | null;
  trackingNumber: string | null;
  /** Where the label can be fetched: the carrier's URL, or ours when we keep the PDF. */
  labelUrl: string | null;
  hasLabel: boolean;
  status: string;
  promisedAt: Date | null;
  expectedDeliveryAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  /** The shipment as pushed to the storefront the order came from; null when no push was tried. */
  channelFulfilment: { status: string; attempts: number; lastError: string | null; pushedAt: Date | null } | null;
}

export interface OrderPayment {
  position: number;
  kind: 'payment' | 'refund';
  amountCents: Cents;
  paymentMethodId: string;
  createdAt: Date;
}

/** One order with its lines, shipments and payments ledger, as the domain reads it. */
export interface OrderRecord {
  id: string;
  customerId: string;
  channel: string;
  externalId: string;
  status: string;
  currency: string;
  email: string | null;
  address: OrderAddress;
  lines: OrderLine[];
  shipments: OrderShipment[];
  payments: OrderPayment[];
  cancelReason: string | null;
  returnItems: string[] | null;
  returnPaymentMethodId: string | null;
  exchangeItems: string[] | null;
  exchangeNewItems: string[] | null;
  exchangePaymentMethodId: string | null;
  exchangePriceDifferenceCents: Cents | null;
  holdReason: string | null;
  /** The service level the buyer chose (economy, standard, expedited, overnight). */
  serviceLevel: string;
  /** The delivery date promised when the order was routed; null before routing sets one. */
  promisedDeliveryAt: Date | null;
  placedAt: Date;
  statusChangedAt: Date;
  extras: OrderExtras;
}

/** An order row with its children as jsonb arrays, as ORDER_SELECT reads it. */
export interface OrderRow {
  id: string;
  customer_id: string;
  channel: string;
  external_id: string;
  status: string;
  currency: string;
  email: string | null;
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
  cancel_reason: string | null;
  return_items: string[] | null;
  return_payment_method_id: string | null;
  exchange_items: string[] | null;
  exchange_new_items: string[] | null;
  exchange_payment_method_id: string | null;
  exchange_price_difference: string | null;
  hold_reason: string | null;
  service_level: string;
  promised_delivery_at: Date | string | null;
  placed_at: Date | string;
  status_changed_at: Date | string;
  lines: {
    id: number;
    position: number;
    product_id: string;
    variant_id: string;
    sku: string | null;
    name: string;
    options: Record<string, string>;
    price: string;
    quantity: number;
    location_id: string | null;
    requires_shipping: boolean;
    gift_card: boolean;
    total_discount: string;
    external_line_id: string | null;
    external_variant_id: string | null;
  }[];
  billing_address: Record<string, unknown> | null;
  shipping_lines: OrderExtras['shippingLines'];
  discounts: OrderExtras['discounts'];
  taxes: OrderExtras['taxes'];
  note: string | null;
  tags: string[];
  unmatched_lines: Record<string, unknown>[];
  non_stock_lines: Record<string, unknown>[];
  client: Record<string, unknown> | null;
  shipments: {
    id: number;
    position: number;
    tracking_ids: string[];
    item_ids: string[];
    location_id: string | null;
    carrier_account: string | null;
    carrier: string | null;
    service: string | null;
    tracking_number: string | null;
    label_url: string | null;
    has_label: boolean;
    status: string;
    promised_at: string | null;
    expected_delivery_at: string | null;
    shipped_at: string | null;
    delivered_at: string | null;
    channel_fulfilment: { status: string; attempts: number; last_error: string | null; pushed_at: string | null } | null;
  }[];
  payments: { position: number; kind: 'payment' | 'refund'; amount: string; payment_method_id: string; created_at: string }[];
}

// Children come back as jsonb arrays so one round trip reads the whole order; money is cast to
// text inside the jsonb so it stays exact.
const ORDER_SELECT = `
  SELECT o.id, o.customer_id, o.channel, o.external_id, o.status, o.currency, o.email,
         o.address1, o.address2, o.city, o.state, o.country, o.zip,
         o.cancel_reason, o.return_items, o.return_payment_method_id, o.exchange_items,
         o.exchange_new_items, o.exchange_payment_method_id, o.exchange_price_difference::text AS exchange_price_difference,
         o.hold_reason, o.service_level, o.promised_delivery_at, o.placed_at, o.status_changed_at,
         o.billing_address, o.shipping_lines, o.discounts, o.taxes, o.note, o.tags, o.unmatched_lines, o.non_stock_lines, o.client,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'position', l.position, 'product_id', l.product_id,
                     'variant_id', l.variant_id, 'sku', (SELECT v.sku FROM variants v WHERE v.id = l.variant_id), 'name', l.name, 'options', l.options, 'price', l.price::text,
                     'quantity', l.quantity, 'location_id', l.location_id, 'requires_shipping', l.requires_shipping,
                     'gift_card', l.gift_card, 'total_discount', l.total_discount::text, 'external_line_id', l.external_line_id,
                     'external_variant_id', l.external_variant_id) ORDER BY l.position)
                   FROM order_lines l WHERE l.order_id = o.id), '[]'::jsonb) AS lines,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('id', f.id, 'position', f.position, 'tracking_ids', to_jsonb(f.tracking_ids),
                     'item_ids', to_jsonb(f.item_ids), 'location_id', f.location_id, 'carrier_account', f.carrier_account,
                     'carrier', f.carrier, 'service', f.service, 'tracking_number', f.tracking_number, 'label_url', f.label_url,
                     'has_label', f.label_pdf IS NOT NULL OR f.label_url IS NOT NULL, 'status', f.status,
                     'promised_at', f.promised_at, 'expected_delivery_at', f.expected_delivery_at,
                     'shipped_at', f.shipped_at, 'delivered_at', f.delivered_at,
                     'channel_fulfilment', (SELECT jsonb_build_object('status', c.status, 'attempts', c.attempts,
                       'last_error', c.last_error, 'pushed_at', c.pushed_at) FROM channel_fulfilments c WHERE c.shipment_id = f.id)) ORDER BY f.position)
                   FROM shipments f WHERE f.order_id = o.id), '[]'::jsonb) AS shipments,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('position', p.position, 'kind', p.kind, 'amount', p.amount::text,
                     'payment_method_id', p.payment_method_id, 'created_at', p.created_at) ORDER BY p.position)
                   FROM payments p WHERE p.order_id = o.id), '[]'::jsonb) AS payments
    FROM orders o`;

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

export function toRecord(r: OrderRow): OrderRecord {
  return {
    id: r.id,
    customerId: r.customer_id,
    channel: r.channel,
    externalId: r.external_id,
    status: r.status,
    currency: r.currency,
    email: r.email,
    address: { address1: r.address1, address2: r.address2, city: r.city, country: r.country, state: r.state, zip: r.zip },
    lines: r.lines.map((l) => ({
      id: l.id,
      position: l.position,
      productId: l.product_id,
      variantId: l.variant_id,
      sku: l.sku,
      name: l.name,
      options: l.options,
      priceCents: toCents(l.price),
      quantity: l.quantity,
      locationId: l.location_id,
      requiresShipping: l.requires_shipping,
      giftCard: l.gift_card,
      totalDiscountCents: toCents(l.total_discount),
      externalLineId: l.external_line_id,
      externalVariantId: l.external_variant_id,
    })),
    shipments: r.shipments.map((f) => ({
      id: Number(f.id),
      position: f.position,
      trackingIds: f.tracking_ids,
      itemIds: f.item_ids,
      locationId: f.location_id,
      carrierAccount: f.carrier_account,
      carrier: f.carrier,
      service: f.service,
      trackingNumber: f.tracking_number,
      labelUrl: f.label_url,
      hasLabel: f.has_label,
      status: f.status,
      promisedAt: date(f.promised_at),
      expectedDeliveryAt: date(f.expected_delivery_at),
      shippedAt: date(f.shipped_at),
      deliveredAt: date(f.delivered_at),
      channelFulfilment: f.channel_fulfilment
        ? { status: f.channel_fulfilment.status, attempts: f.channel_fulfilment.attempts, lastError: f.channel_fulfilment.last_error, pushedAt: date(f.channel_fulfilment.pushed_at) }
        : null,
    })),
    payments: r.payments.map((p) => ({
      position: p.position,
      kind: p.kind,
      amountCents: toCents(p.amount),
      paymentMethodId: p.payment_method_id,
      createdAt: new Date(p.created_at),
    })),
    cancelReason: r.cancel_reason,
    returnItems: r.return_items,
    returnPaymentMethodId: r.return_payment_method_id,
    exchangeItems: r.exchange_items,
    exchangeNewItems: r.exchange_new_items,
    exchangePaymentMethodId: r.exchange_payment_method_id,
    exchangePriceDifferenceCents: r.exchange_price_difference === null ? null : toCents(r.exchange_price_difference),
    holdReason: r.hold_reason,
    serviceLevel: r.service_level,
    promisedDeliveryAt: date(r.promised_delivery_at),
    placedAt: date(r.placed_at)!,
    statusChangedAt: date(r.status_changed_at)!,
    extras: {
      billingAddress: r.billing_address,
      shippingLines: r.shipping_lines,
      discounts: r.discounts,
      taxes: r.taxes,
      note: r.note,
      tags: r.tags,
      unmatchedLines: r.unmatched_lines,
      nonStockLines: r.non_stock_lines,
      client: r.client,
    },
  };
}

/**
 * One order with everything hanging off it, or null. `forUpdate` locks the order row until the
 * caller's transaction ends, which every write path takes before it checks anything.
 */
export async function loadOrder(db: Db, orderId: string, options: { forUpdate?: boolean } = {}): Promise<OrderRecord | null> {
  const { rows } = await db.query<OrderRow>(
    `${ORDER_SELECT} WHERE o.id = $1${options.forUpdate ? ' FOR UPDATE OF o' : ''}`,
    [orderId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Several orders at once, in the order of `orderIds`; ids that do not exist are left out. */
export async function loadOrders(db: Db, orderIds: readonly string[]): Promise<OrderRecord[]> {
  if (orderIds.length === 0) return [];
  const { rows } = await db.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = ANY($1::text[])`, [orderIds]);
  const byId = new Map(rows.map((r) => [r.id, toRecord(r)]));
  return orderIds.flatMap((id) => byId.get(id) ?? []);
}

export interface OrderSearch {
  status?: string;
  customerId?: string;
  channel?: string;
  /** placed_at lower bound, inclusive. */
  from?: Date;
  /** placed_at upper bound, exclusive. */
  to?: Date;
  /** At most this many, newest first; 50 when omitted, capped at 500. */
  limit?: number;
}

/** Orders matching every given filter, newest placed first. */
export async function searchOrders(db: Db, search: OrderSearch = {}): Promise<OrderRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (search.status !== undefined) add('o.status = ?', search.status);
  if (search.customerId !== undefined) add('o.customer_id = ?', search.customerId);
  if (search.channel !== undefined) add('o.channel = ?', search.channel);
  if (search.from !== undefined) add('o.placed_at >= ?', search.from);
  if (search.to !== undefined) add('o.placed_at < ?', search.to);
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? 50), 1), 500);
  const { rows } = await db.query<OrderRow>(
    `${ORDER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.placed_at DESC, o.seq DESC LIMIT ${limit}`,
    params,
  );
  return rows.map(toRecord);
}

/**
 * The order in the tau-retail JSON shape. A line with quantity n becomes n items, because the
 * reference has no quantities (an order that holds an item twice lists it twice).
 */
export function toRetailOrder(record: OrderRecord): RetailOrder {
  const items: RetailOrderItem[] = [];
  for (const l of record.lines) {
    for (let i = 0; i < l.quantity; i++) {
      items.push({ name: l.name, product_id: l.productId, item_id: l.variantId, price: fromCents(l.priceCents), options: { ...l.options } });
    }
  }
  const order: RetailOrder = {
    order_id: record.id,
    user_id: record.customerId,
    address: { ...record.address },
    items,
    // A voided label never left the building: the reference shape lists parcels, not attempts.
    fulfillments: record.shipments
      .filter((f) => f.status !== 'voided')
      .map((f) => ({ tracking_id: [...f.trackingIds], item_ids: [...f.itemIds] })),
    status: record.status,
    payment_history: record.payments.map((p) => ({
      transaction_type: p.kind,
      amount: fromCents(p.amountCents),
      payment_method_id: p.paymentMethodId,
    })),
  };
  if (record.cancelReason !== null) order.cancel_reason = record.cancelReason;
  if (record.exchangeItems !== null) order.exchange_items = [...record.exchangeItems];
  if (record.exchangeNewItems !== null) order.exchange_new_items = [...record.exchangeNewItems];
  if (record.exchangePaymentMethodId !== null) order.exchange_payment_method_id = record.exchangePaymentMethodId;
  if (record.exchangePriceDifferenceCents !== null) order.exchange_price_difference = fromCents(record.exchangePriceDifferenceCents);
  if (record.returnItems !== null) order.return_items = [...record.returnItems];
  if (record.returnPaymentMethodId !== null) order.return_payment_method_id = record.returnPaymentMethodId;
  return order;
}
