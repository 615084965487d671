import type { z } from 'zod';
import { catalogProductInputSchema, type CatalogProductInput } from '../../../domain/catalog/catalog-product-input.js';
import { channelOrderSchema, type CanonicalOrder, type InputIssue } from '../../../domain/orders/canonical-order.js';
import { mapShopifyOrder } from './map-shopify-order.js';
import { mapShopifyProduct } from './map-shopify-product.js';
import { shopifyOrderPayloadSchema } from './shopify-order-payload.js';
import { shopifyProductPayloadSchema } from './shopify-product-payload.js';
import { shopifyRefundPayloadSchema, type ShopifyRefundPayload } from './shopify-refund-payload.js';

/** The webhook topics the connector acts on; any other topic is answered 200 and ignored. */
export const SHOPIFY_TOPICS = ['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create', 'products/create', 'products/update'] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

export const isShopifyTopic = (t: string): t is ShopifyTopic => (SHOPIFY_TOPICS as readonly string[]).includes(t);

export type ParsedShopifyPayload =
  | { kind: 'order'; topic: 'orders/create' | 'orders/updated' | 'orders/cancelled'; order: CanonicalOrder; cancelled: boolean; cancelReason: string | null }
  | { kind: 'refund'; topic: 'refunds/create'; refund: ShopifyRefundPayload }
  | { kind: 'product'; topic: 'products/create' | 'products/update'; product: CatalogProductInput };

const issuesOf = (error: z.ZodError, prefix = ''): InputIssue[] =>
  error.issues.map((i) => ({ path: `${prefix}${i.path.length ? i.path.map(String).join('.') : '(body)'}`, message: i.message }));

/**
 * Checks a verified webhook body for its topic and maps it: Shopify's shape first (so a bad field
 * is named as Shopify sent it), then the canonical shape it becomes. Pure; the door calls it to
 * answer 400 at once, the job again on the stored payload.
 */
export function parseShopifyPayload(topic: ShopifyTopic, body: unknown): { ok: true; value: ParsedShopifyPayload } | { ok: false; issues: InputIssue[] } {
  if (topic === 'refunds/create') {
    const r = shopifyRefundPayloadSchema.safeParse(body);
    return r.success ? { ok: true, value: { kind: 'refund', topic, refund: r.data } } : { ok: false, issues: issuesOf(r.error) };
  }
  if (topic === 'products/create' || topic === 'products/update') {
    const p = shopifyProductPayloadSchema.safeParse(body);
    if (!p.success) return { ok: false, issues: issuesOf(p.error) };
    const c = catalogProductInputSchema.safeParse(mapShopifyProduct(p.data));
    return c.success ? { ok: true, value: { kind: 'product', topic, product: c.data } } : { ok: false, issues: issuesOf(c.error, 'product: ') };
  }
  const p = shopifyOrderPayloadSchema.safeParse(body);
  if (!p.success) return { ok: false, issues: issuesOf(p.error) };
  const c = channelOrderSchema.safeParse(mapShopifyOrder(p.data));
  if (!c.success) return { ok: false, issues: issuesOf(c.error, 'order: ') };
  return {
    ok: true,
    value: { kind: 'order', topic, order: c.data, cancelled: Boolean(p.data.cancelled_at), cancelReason: p.data.cancel_reason ?? null },
  };
}
