import { raiseFlag } from '../../../anomaly/flags/raise-flag.js';
import type { Db } from '../../../db/db.js';
import type { Actor } from '../../../domain/actor.js';
import { upsertCatalog } from '../../../domain/catalog/upsert-catalog.js';
import { isDomainError } from '../../../domain/domain-error.js';
import { cancelAndRefundOrder } from '../../../domain/orders/cancel-and-refund-order.js';
import type { CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import type { CreateOrderOptions } from '../../../domain/orders/create-order.js';
import { ingestChannelOrder } from '../../../domain/orders/ingest-channel-order.js';
import { findChannelOrder } from '../../../domain/sales-channels/find-channel-order.js';
import { loadWebhookDelivery } from '../../../domain/sales-channels/load-webhook-delivery.js';
import { markWebhookDelivery } from '../../../domain/sales-channels/mark-webhook-delivery.js';
import { recordChannelRefund } from '../../../domain/sales-channels/record-channel-refund.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';
import { isShopifyTopic, parseShopifyPayload } from './parse-shopify-payload.js';
import type { ShopifyRefundPayload } from './shopify-refund-payload.js';

export interface ProcessShopifyDeliveryDeps {
  db: Db;
  actor: Actor;
  orderOptions?: CreateOrderOptions;
  log?: (line: string) => void;
}

export type DeliveryOutcome = 'processed' | 'already processed' | 'not found' | 'unusable';

/** Statuses from which Shopify's cancellation cannot be followed: the goods are on their way or there. */
const SHIPPED = new Set(['partially_shipped', 'shipped', 'delivered', 'return requested', 'exchange requested']);

/**
 * The job behind the webhook door: works on one stored delivery and records the outcome on it.
 * Every step is idempotent (orders by (channel, external id), refunds by Shopify's refund id,
 * catalog by handle and SKU), so a retried or redelivered job changes nothing twice. A failure
 * is kept on the delivery (`last_error`) and rethrown so the queue retries it.
 */
export async function processShopifyDelivery(deps: ProcessShopifyDeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const { db } = deps;
  const d = await loadWebhookDelivery(db, SHOPIFY_CHANNEL, deliveryId);
  if (!d) return 'not found';
  if (d.processedAt) return 'already processed';
  const ref = { channel: SHOPIFY_CHANNEL, deliveryId };
  const parsed = isShopifyTopic(d.topic) ? parseShopifyPayload(d.topic, d.payload) : null;
  if (!parsed || !parsed.ok) {
    // The door checked it before storing, so this is a stored row the code can no longer read: kept, visible, not retried.
    const why = parsed ? parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : `topic ${d.topic} is not handled`;
    await markWebhookDelivery(db, ref, { error: `unusable: ${why}` });
    return 'unusable';
  }
  try {
    const v = parsed.value;
    if (v.kind === 'product') {
      await upsertCatalog(db, [v.product], deps.actor);
    } else if (v.kind === 'refund') {
      await recordRefund(deps, v.refund);
    } else {
      const orderId = await ensureOrder(deps, v.order);
      if (v.topic === 'orders/cancelled' || v.cancelled) await followCancellation(deps, orderId, v.order.external_id, v.cancelReason);
    }
    await markWebhookDelivery(db, ref, { error: null });
    return 'processed';
  } catch (err) {
    await markWebhookDelivery(db, ref, { error: (err as Error).message ?? String(err) }).catch(() => undefined);
    throw err;
  }
}

// orders/updated for a known order changes nothing here: edits to lines or addresses go through
// our own services, so the ledger is not rewritten behind the state machine's back.
async function ensureOrder(deps: ProcessShopifyDeliveryDeps, order: CanonicalOrder): Promise<string> {
  const known = await findChannelOrder(deps.db, SHOPIFY_CHANNEL, order.external_id);
  if (known) return known.orderId;
  const result = await ingestChannelOrder(deps.db, order, deps.actor, deps.orderOptions ?? {});
  if (result.created) deps.log?.(`shopify order ${order.external_id} in the ledger as ${result.order.id}${result.holds.length ? ` (held: ${result.holds.join('; ')})` : ''}`);
  return result.order.id;
}

async function followCancellation(deps: ProcessShopifyDeliveryDeps, orderId: string, externalId: string, reason: string | null): Promise<void> {
  const known = await findChannelOrder(deps.db, SHOPIFY_CHANNEL, externalId);
  if (!known || known.status === 'cancelled') return;
  const why = `cancelled in Shopify${reason ? ` (${reason})` : ''}`;
  try {
    if (SHIPPED.has(known.status)) throw new CannotFollow(`the order is ${known.status}`);
    await cancelAndRefundOrder(deps.db, { orderId, reason: why }, deps.actor);
  } catch (err) {
    if (!(err instanceof CannotFollow) && !(isDomainError(err) && err.type === 'conflict')) throw err;
    // A shipped order cannot be un-shipped: a person decides (recall, return label, write off).
    await raiseFlag(
      deps.db,
      {
        subjectType: 'order',
        subjectId: orderId,
        rule: 'channel_cancelled_after_shipping',
        category: 'operations',
        severity: 'warning',
        score: 60,
        title: `Shopify cancelled order ${orderId} but it cannot be cancelled here`,
        reasons: [`${why}; ${(err as Error).message}`],
        evidence: { channel: SHOPIFY_CHANNEL, externalId, status: known.status },
      },
      deps.actor,
    );
    deps.log?.(`shopify order ${externalId} cancelled in Shopify, flagged: ${(err as Error).message}`);
  }
}

class CannotFollow extends Error {}

async function recordRefund(deps: ProcessShopifyDeliveryDeps, refund: ShopifyRefundPayload): Promise<void> {
  const known = await findChannelOrder(deps.db, SHOPIFY_CHANNEL, String(refund.order_id));
  // Thrown, so the job retries: the order's own webhook (or reconciliation) may still be on its way.
  if (!known) throw new Error(`refund ${refund.id}: Shopify order ${refund.order_id} is not in the ledger yet`);
  const amount = refund.transactions
    .filter((t) => (t.kind ?? 'refund') === 'refund' && (t.status ?? 'success') === 'success')
    .reduce((s, t) => s + Math.round(Number(t.amount) * 100), 0) / 100;
  await recordChannelRefund(
    deps.db,
    { channel: SHOPIFY_CHANNEL, externalRefundId: String(refund.id), orderId: known.orderId, amount, note: refund.note?.trim() || null },
    deps.actor,
  );
}
