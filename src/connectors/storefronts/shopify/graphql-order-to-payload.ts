import { legacyShopifyId } from './shopify-gid.js';
import type { ShopifyOrderPayload } from './shopify-order-payload.js';

type Money = { shopMoney?: { amount?: string | number | null } | null } | null | undefined;
type GqlAddress = Record<string, string | null | undefined> | null | undefined;

/** The order fields the connector selects from the Admin GraphQL API (see SHOPIFY_ORDER_FIELDS). */
export interface GraphqlOrderNode {
  id: string;
  legacyResourceId?: string | null;
  name?: string | null;
  createdAt?: string | null;
  updatedAt: string;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  currencyCode?: string | null;
  clientIp?: string | null;
  paymentGatewayNames?: string[] | null;
  totalPriceSet?: Money;
  customer?: { firstName?: string | null; lastName?: string | null; email?: string | null; phone?: string | null; createdAt?: string | null } | null;
  shippingAddress?: GqlAddress;
  billingAddress?: GqlAddress;
  lineItems?: {
    nodes: {
      id: string;
      sku?: string | null;
      name?: string | null;
      title?: string | null;
      quantity: number;
      requiresShipping?: boolean | null;
      isGiftCard?: boolean | null;
      variant?: { id: string } | null;
      originalUnitPriceSet?: Money;
      totalDiscountSet?: Money;
      discountAllocations?: { allocatedAmountSet?: Money; discountApplication?: { index?: number | null } | null }[] | null;
    }[];
  } | null;
  shippingLines?: { nodes: { title?: string | null; code?: string | null; originalPriceSet?: Money }[] } | null;
  discountApplications?: { nodes: { index?: number | null; targetType?: string | null; code?: string | null; title?: string | null }[] } | null;
  taxLines?: { title?: string | null; rate?: number | null; priceSet?: Money }[] | null;
}

/** The selection that fills a GraphqlOrderNode. */
export const SHOPIFY_ORDER_FIELDS = `
  id legacyResourceId name createdAt updatedAt cancelledAt cancelReason displayFinancialStatus displayFulfillmentStatus
  email phone note tags currencyCode clientIp paymentGatewayNames
  totalPriceSet { shopMoney { amount } }
  customer { firstName lastName email phone createdAt }
  shippingAddress { firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone }
  billingAddress { firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone }
  lineItems(first: 100) { nodes {
    id sku name title quantity requiresShipping isGiftCard variant { id }
    originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }
    discountAllocations { allocatedAmountSet { shopMoney { amount } } discountApplication { index } }
  } }
  shippingLines(first: 10) { nodes { title code originalPriceSet { shopMoney { amount } } } }
  discountApplications(first: 20) { nodes {
    index targetType
    ... on DiscountCodeApplication { code }
    ... on AutomaticDiscountApplication { title }
    ... on ManualDiscountApplication { title }
    ... on ScriptDiscountApplication { title }
  } }
  taxLines { title rate priceSet { shopMoney { amount } } }
`;

const amount = (m: Money): string | null => {
  const a = m?.shopMoney?.amount;
  return a === null || a === undefined ? null : String(a);
};

function address(a: GqlAddress): ShopifyOrderPayload['shipping_address'] {
  if (!a) return null;
  return {
    first_name: a.firstName, last_name: a.lastName, name: a.name, company: a.company,
    address1: a.address1, address2: a.address2, city: a.city, province: a.province, province_code: a.provinceCode,
    country: a.country, country_code: a.countryCodeV2, zip: a.zip, phone: a.phone,
  };
}

/**
 * An order as the GraphQL Admin API returns it, in the webhook's (REST) shape, so one mapper
 * turns both into the canonical order.
 */
export function graphqlOrderToPayload(o: GraphqlOrderNode): ShopifyOrderPayload {
  const apps = [...(o.discountApplications?.nodes ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return {
    id: o.legacyResourceId ?? legacyShopifyId(o.id),
    name: o.name ?? null,
    email: o.email ?? null,
    phone: o.phone ?? null,
    created_at: o.createdAt ?? null,
    updated_at: o.updatedAt,
    cancelled_at: o.cancelledAt ?? null,
    cancel_reason: o.cancelReason?.toLowerCase() ?? null,
    currency: o.currencyCode ?? null,
    total_price: amount(o.totalPriceSet),
    financial_status: o.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillment_status: o.displayFulfillmentStatus?.toLowerCase() ?? null,
    note: o.note ?? null,
    tags: o.tags ?? [],
    browser_ip: o.clientIp ?? null,
    payment_gateway_names: o.paymentGatewayNames ?? [],
    customer: o.customer
      ? { email: o.customer.email, first_name: o.customer.firstName, last_name: o.customer.lastName, phone: o.customer.phone, created_at: o.customer.createdAt }
      : null,
    shipping_address: address(o.shippingAddress),
    billing_address: address(o.billingAddress),
    line_items: (o.lineItems?.nodes ?? []).map((l) => ({
      id: legacyShopifyId(l.id),
      variant_id: l.variant ? legacyShopifyId(l.variant.id) : null,
      sku: l.sku ?? null,
      name: l.name ?? null,
      title: l.title ?? null,
      quantity: l.quantity,
      price: amount(l.originalUnitPriceSet) ?? '0',
      requires_shipping: l.requiresShipping ?? null,
      gift_card: l.isGiftCard ?? null,
      total_discount: amount(l.totalDiscountSet),
      discount_allocations: (l.discountAllocations ?? []).map((d) => ({
        amount: amount(d.allocatedAmountSet) ?? '0',
        ...(typeof d.discountApplication?.index === 'number' ? { discount_application_index: d.discountApplication.index } : {}),
      })),
    })),
    shipping_lines: (o.shippingLines?.nodes ?? []).map((s) => ({ title: s.title ?? null, code: s.code ?? null, price: amount(s.originalPriceSet) })),
    discount_applications: apps.map((a) => ({ code: a.code ?? null, title: a.title ?? null, target_type: a.targetType?.toLowerCase() ?? null, type: a.code ? 'discount_code' : null })),
    tax_lines: (o.taxLines ?? []).map((t) => ({ title: t.title ?? null, rate: t.rate ?? null, price: amount(t.priceSet) ?? '0' })),
  };
}
