import { channelOrderSchema, type CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import type { ChannelOrder } from '../../../domain/sales-channels/storefront-channel.js';
import type { WooOrderPayload } from './woocommerce-order-payload.js';


// Statuses WooCommerce gives an order once its payment is taken.
const PAID_STATUSES = new Set(['processing', 'completed']);
export const WOOCOMMERCE_CHANNEL = 'woocommerce';

type Address = NonNullable<WooOrderPayload['shipping']>;

const text = (v: string | null | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};
const money = (v: string | number | null | undefined): number => Math.round(Number(v ?? 0) * 100) / 100;

/** WooCommerce's *_gmt dates carry no offset; they are UTC. */
export function wooGmtDate(v: string | null | undefined): string | undefined {
  const t = text(v);
  if (!t) return undefined;
  return /(?:Z|[+-]\d\d:?\d\d)$/.test(t) ? t : `${t}Z`;
}

function addressOf(a: Address | null | undefined): CanonicalOrder['shipping_address'] {
  if (!a) return undefined;
  const address1 = text(a.address_1);
  const city = text(a.city);
  const country = text(a.country);
  const zip = text(a.postcode);
  // Countries without states (GB, NL ...) leave it empty; the city stands in for routing.
  const state = text(a.state) ?? city;
  if (!address1 || !city || !country || !zip || !state) return undefined;
  const name = [text(a.first_name), text(a.last_name)].filter(Boolean).join(' ');
  return {
    address1,
    ...(text(a.address_2) ? { address2: text(a.address_2) } : {}),
    city,
    state,
    country,
    zip,
    ...(name ? { name } : {}),
    ...(text(a.company) ? { company: text(a.company) } : {}),
    ...(text(a.phone) ? { phone: text(a.phone) } : {}),
  };
}

// Gateway ids of the common plugins; everything else (bacs, cheque, cod, stripe ...) is taken as card.
function paymentMethodOf(gateway: string | undefined): CanonicalOrder['payment']['method'] {
  const g = (gateway ?? '').toLowerCase();
  if (g.includes('paypal') || g.startsWith('ppcp') || g === 'ppec') return 'paypal';
  if (g.includes('gift')) return 'gift_card';
  return 'card';
}

function ipOf(v: string | null | undefined): string | undefined {
  const t = text(v);
  if (!t) return undefined;
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(t) || t.includes(':') ? t : undefined;
}

/**
 * A WooCommerce order (REST API v3 shape, as webhooks and `GET /orders` send it) in the canonical
 * shape. Pure. A variation is addressed by its variation id, a simple product by its product id
 * (that is the channel's variant id in the variant map); the SKU is kept when the store has one.
 * Fees with a negative total are discounts; positive fees are lines that ship nothing.
 */
export function mapWooCommerceOrder(o: WooOrderPayload): CanonicalOrder {
  const billing = o.billing ?? {};
  const shipping = o.shipping ?? {};
  const fees = o.fee_lines ?? [];
  const order = {
    channel: WOOCOMMERCE_CHANNEL,
    external_id: String(o.id),
    ...(wooGmtDate(o.date_created_gmt) ? { placed_at: wooGmtDate(o.date_created_gmt) } : {}),
    ...(text(o.currency) ? { currency: text(o.currency)!.toUpperCase() } : {}),
    customer: {
      email: text(billing.email) ?? '',
      first_name: text(billing.first_name) ?? text(shipping.first_name) ?? '',
      last_name: text(billing.last_name) ?? text(shipping.last_name) ?? '',
      ...(text(billing.phone) ? { phone: text(billing.phone) } : {}),
    },
    ...(addressOf(shipping) ? { shipping_address: addressOf(shipping) } : {}),
    ...(addressOf(billing) ? { billing_address: addressOf(billing) } : {}),
    lines: [
      ...o.line_items.map((l) => {
        const subtotal = money(l.subtotal ?? l.total);
        const discount = money(subtotal - money(l.total));
        const variantId = l.variation_id ? l.variation_id : l.product_id;
        return {
          ...(text(l.sku) ? { sku: text(l.sku) } : {}),
          external_variant_id: String(variantId),
          external_line_id: String(l.id),
          ...(text(l.name) ? { title: text(l.name) } : {}),
          quantity: l.quantity,
          unit_price: money(subtotal / l.quantity),
          ...(discount > 0 ? { total_discount: discount } : {}),
        };
      }),
      // A positive fee (gift wrap, handling) is a line that ships nothing and is in no catalog.
      ...fees
        .map((f, i) => ({ f, key: `fee-${f.id ?? i}` }))
        .filter(({ f }) => money(f.total) > 0)
        .map(({ f, key }) => ({
          external_variant_id: key,
          external_line_id: key,
          title: text(f.name) ?? 'Fee',
          quantity: 1,
          unit_price: money(f.total),
          requires_shipping: false,
        })),
    ],
    shipping_lines: (o.shipping_lines ?? []).map((s) => ({
      title: text(s.method_title) ?? text(s.method_id) ?? 'Shipping',
      ...(text(s.method_id) ? { code: text(s.method_id) } : {}),
      price: money(s.total),
    })),
    discounts: [
      // A coupon's money is already spread over the lines' totals (their total_discount).
      ...(o.coupon_lines ?? []).map((c) => ({ ...(text(c.code) ? { code: text(c.code) } : {}), amount: money(c.discount), target: 'line' as const })),
      ...fees.filter((f) => money(f.total) < 0).map((f) => ({ title: text(f.name) ?? 'Fee', amount: -money(f.total), target: 'order' as const })),
    ],
    taxes: (o.tax_lines ?? []).map((t) => ({
      title: text(t.label) ?? text(t.rate_code) ?? 'Tax',
      ...(typeof t.rate_percent === 'number' ? { rate: t.rate_percent / 100 } : {}),
      amount: money(money(t.tax_total) + money(t.shipping_tax_total)),
    })),
    ...(text(o.customer_note) ? { note: text(o.customer_note) } : {}),
    // The total the buyer was charged: where ours differs, the order is held to be looked at.
    payment: {
      method: paymentMethodOf(text(o.payment_method)),
      ...(o.total !== null && o.total !== undefined ? { amount: money(o.total) } : {}),
      // pending, on-hold (a bank transfer not yet in), failed: the store has no money yet, so the order must not ship.
      ...(!PAID_STATUSES.has(o.status) && !text(o.date_paid_gmt) ? { captured: false, status: o.status } : {}),
    },
    ...(ipOf(o.customer_ip_address) || text(o.customer_user_agent)
      ? {
          client: {
            ...(ipOf(o.customer_ip_address) ? { browser_ip: ipOf(o.customer_ip_address) } : {}),
            ...(text(o.customer_user_agent) ? { user_agent: text(o.customer_user_agent) } : {}),
          },
        }
      : {}),
  };
  const parsed = channelOrderSchema.safeParse(order);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`);
    throw new Error(`WooCommerce order ${o.id} cannot be taken in: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** The order as reconciliation lists it. */
export function wooChannelOrder(o: WooOrderPayload): ChannelOrder {
  return {
    externalId: String(o.id),
    updatedAt: wooGmtDate(o.date_modified_gmt) ?? wooGmtDate(o.date_created_gmt) ?? new Date(0).toISOString(),
    order: mapWooCommerceOrder(o),
    channelStatus: o.status,
  };
}
