import { isIP } from 'node:net';
import type { z } from 'zod';
import type { channelOrderSchema } from '../../../domain/orders/canonical-order.js';
import type { CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import { parseShopifyTags } from './parse-shopify-tags.js';
import type { ShopifyAddress, ShopifyOrderPayload } from './shopify-order-payload.js';

type OrderDraft = z.input<typeof channelOrderSchema>;
type Address = NonNullable<OrderDraft['shipping_address']>;

export const SHOPIFY_CHANNEL = 'shopify';

const amount = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Math.round(Number(v) * 100) / 100);
const clip = (v: string | null | undefined, max: number): string | undefined => {
  const t = v?.trim();
  return t ? t.slice(0, max) : undefined;
};

/**
 * Shopify's order (the webhook body, the REST Order resource) as a canonical channel order. Pure:
 * it keeps what the storefront sent and invents nothing the ledger would act on; what is missing
 * (an address Shopify could not complete, a SKU) is left out so the ingest holds the order.
 */
export function mapShopifyOrder(p: ShopifyOrderPayload): CanonicalOrder {
  const shipping = mapAddress(p.shipping_address);
  const billing = mapAddress(p.billing_address);
  const customerEmail = clip(p.email, 200) ?? clip(p.contact_email, 200) ?? clip(p.customer?.email, 200);
  const names = firstAndLast(p);
  const discounts = mapDiscounts(p).slice(0, 50);
  const note = clip(p.note, 5000);
  const tags = parseShopifyTags(p.tags).slice(0, 100);
  // Risk signals only: one Shopify could not read (an empty or garbled IP) is left out rather than refusing the order.
  const ip = [clip(p.client_details?.browser_ip, 100), clip(p.browser_ip, 100)].find((v) => v !== undefined && isIP(v) !== 0);
  const client = {
    ...(ip ? { browser_ip: ip } : {}),
    ...optional('user_agent', clip(p.client_details?.user_agent, 500)),
    ...optional('accept_language', clip(p.client_details?.accept_language, 200)),
    ...optional('account_created_at', clip(p.customer?.created_at, 40)),
    ...optional('avs_result', clip(p.payment_details?.avs_result_code, 10)),
    ...optional('cvv_result', clip(p.payment_details?.cvv_result_code, 10)),
  };
  const draft: OrderDraft = {
    channel: SHOPIFY_CHANNEL,
    external_id: String(p.id),
    ...optional('placed_at', clip(p.created_at, 40)),
    ...optional('currency', clip(p.currency, 3)?.toUpperCase()),
    customer: {
      // A point-of-sale or draft order can have no email; the order id keeps the buyer apart from others.
      email: customerEmail ?? `shopify-order-${p.id}@customers.invalid`,
      first_name: names.first,
      last_name: names.last,
      ...optional('phone', clip(p.customer?.phone ?? p.phone, 40)),
      ...optional('created_at', clip(p.customer?.created_at, 40)),
    },
    ...(shipping ? { shipping_address: shipping } : {}),
    ...(billing ? { billing_address: billing } : {}),
    lines: p.line_items.map((l) => {
      const allocated = (l.discount_allocations ?? []).reduce((s, a) => s + amount(a.amount), 0);
      const lineDiscount = l.discount_allocations?.length ? allocated : amount(l.total_discount);
      return {
        ...optional('sku', clip(l.sku, 100)),
        ...(l.variant_id !== null && l.variant_id !== undefined ? { external_variant_id: String(l.variant_id) } : {}),
        external_line_id: String(l.id),
        ...optional('title', clip(l.name ?? l.title, 300)),
        quantity: l.quantity,
        unit_price: amount(l.price),
        ...(lineDiscount > 0 ? { total_discount: Math.round(lineDiscount * 100) / 100 } : {}),
        ...(l.requires_shipping === false ? { requires_shipping: false } : {}),
        ...(l.gift_card ? { gift_card: true } : {}),
      };
    }),
    ...(p.shipping_lines?.length
      ? {
          shipping_lines: p.shipping_lines.slice(0, 20).map((s) => ({
            title: clip(s.title, 200) ?? clip(s.code, 200) ?? 'Shipping',
            ...optional('code', clip(s.code, 100)),
            price: amount(s.price),
          })),
        }
      : {}),
    ...(discounts.length ? { discounts } : {}),
    ...(p.tax_lines?.length
      ? {
          taxes: p.tax_lines.slice(0, 50).map((t) => ({
            title: clip(t.title, 100) ?? 'Tax',
            ...(typeof t.rate === 'number' && t.rate >= 0 && t.rate <= 1 ? { rate: t.rate } : {}),
            amount: amount(t.price),
            ...(p.taxes_included ? { included: true } : {}),
          })),
        }
      : {}),
    ...(note ? { note } : {}),
    ...(tags.length ? { tags } : {}),
    // What Shopify charged, so a total we compute differently holds the order instead of being recorded as paid.
    payment: { method: paymentMethodOf(p), ...optional('amount', chargedOf(p)), ...notCaptured(p.financial_status) },
    ...(Object.keys(client).length ? { client } : {}),
  };
  return draft as CanonicalOrder;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function firstAndLast(p: ShopifyOrderPayload): { first: string; last: string } {
  const from = [p.customer, p.billing_address, p.shipping_address];
  const first = from.map((x) => clip(x?.first_name, 100)).find(Boolean);
  const last = from.map((x) => clip(x?.last_name, 100)).find(Boolean);
  if (first && last) return { first, last };
  const [a, ...rest] = (clip(p.shipping_address?.name ?? p.billing_address?.name, 200) ?? '').split(/\s+/);
  return { first: first ?? clip(a, 100) ?? 'Shopify', last: last ?? clip(rest.join(' '), 100) ?? `customer ${p.name ?? p.id}` };
}

// An address without a street, city, region or postal code cannot be shipped to: it is left out, so
// the order is held for a missing address instead of carrying a half-made one.
function mapAddress(a: ShopifyAddress | null | undefined): Address | undefined {
  if (!a) return undefined;
  const address1 = clip(a.address1, 200);
  const city = clip(a.city, 100);
  const state = clip(a.province_code, 100) ?? clip(a.province, 100);
  const country = clip(a.country_code, 56) ?? clip(a.country, 56);
  const zip = clip(a.zip, 20);
  if (!address1 || !city || !state || !country || !zip) return undefined;
  const name = clip(a.name, 200) ?? clip([a.first_name, a.last_name].filter(Boolean).join(' '), 200);
  return {
    address1,
    ...optional('address2', clip(a.address2, 200)),
    city,
    state,
    country,
    zip,
    ...optional('name', name),
    ...optional('company', clip(a.company, 200)),
    ...optional('phone', clip(a.phone, 40)),
  };
}

const TARGETS: Record<string, 'order' | 'line' | 'shipping'> = { line_item: 'line', shipping_line: 'shipping' };

// Shopify says what each discount took off only through the allocations on lines and shipping
// lines, by the application's index; discount_codes alone (older payloads) carry an amount.
function mapDiscounts(p: ShopifyOrderPayload): NonNullable<OrderDraft['discounts']> {
  const apps = p.discount_applications ?? [];
  if (apps.length === 0) {
    return (p.discount_codes ?? [])
      .filter((d) => clip(d.code, 100))
      .map((d) => ({ code: clip(d.code, 100)!, amount: amount(d.amount), target: 'order' as const }));
  }
  const allocations = [...p.line_items.flatMap((l) => l.discount_allocations ?? []), ...(p.shipping_lines ?? []).flatMap((s) => s.discount_allocations ?? [])];
  return apps.map((app, i) => {
    const total = allocations.filter((a) => a.discount_application_index === i).reduce((s, a) => s + amount(a.amount), 0);
    const code = clip(app.code, 100);
    const title = clip(app.title, 200) ?? clip(app.description, 200);
    return {
      ...(code ? { code } : {}),
      ...(title ? { title } : code ? {} : { title: clip(app.type, 200) ?? 'discount' }),
      amount: Math.round(total * 100) / 100,
      target: TARGETS[app.target_type ?? ''] ?? 'order',
    };
  });
}

// A Shopify gift card is Shopify's balance, not a payment method of ours, so it is settled outside
// like a card; only PayPal is told apart.
function paymentMethodOf(p: ShopifyOrderPayload): CanonicalOrder['payment']['method'] {
  const gateways = [...(p.payment_gateway_names ?? []), p.gateway ?? ''].map((g) => g.toLowerCase());
  if (gateways.some((g) => g.includes('paypal'))) return 'paypal';
  return 'card';
}

// total_price is what the buyer was charged at checkout; current_total_price already has later edits
// and refunds taken off, which the ingest of a new order must not see as a disagreement.
function chargedOf(p: ShopifyOrderPayload): number | undefined {
  const v = p.total_price ?? p.current_total_price;
  return v === null || v === undefined ? undefined : amount(v);
}

// Shopify has taken no money for these; refunded ones are a cancellation, handled apart.
const UNPAID_STATUSES = new Set(['pending', 'voided', 'expired']);

/** What the canonical payment says about a Shopify financial_status the ledger must not ship. */
export function notCaptured(financialStatus: string | null | undefined): { captured?: false; status?: string } {
  const status = clip(financialStatus, 40)?.toLowerCase();
  return status && UNPAID_STATUSES.has(status) ? { captured: false, status } : {};
}
