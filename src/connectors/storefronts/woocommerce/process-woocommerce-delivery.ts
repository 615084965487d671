import { raiseFlag } from '../../../anomaly/flags/raise-flag.js';
import type { Db } from '../../../db/db.js';
import type { Actor } from '../../../domain/actor.js';
import { upsertCatalog } from '../../../domain/catalog/upsert-catalog.js';
import { DomainError } from '../../../domain/domain-error.js';
import { cancelAndRefundOrder } from '../../../domain/orders/cancel-and-refund-order.js';
import type { CreateOrderOptions } from '../../../domain/orders/create-order.js';
import { ingestChannelOrder } from '../../../domain/orders/ingest-channel-order.js';
import { transitionRefusal } from '../../../domain/orders/order-state-machine.js';
import { finishWebhookDelivery } from '../../../domain/sales-channels/finish-webhook-delivery.js';
import { loadWebhookDelivery } from '../../../domain/sales-channels/load-webhook-delivery.js';
import { mapWooCommerceOrder, WOOCOMMERCE_CHANNEL } from './map-woocommerce-order.js';
import { mapWooCommerceProduct } from './map-woocommerce-product.js';
import { wooOrderPayloadSchema, wooProductPayloadSchema, wooVariationPayloadSchema, type WooOrderPayload } from './woocommerce-order-payload.js';
import type { WooCommerceRestClient } from './woocommerce-rest-client.js';

export interface WooCommerceDeliveryDeps {
  db: Db;
  actor: Actor;
  /** Reads a variable product's variations; without it such a product cannot be taken in. */
  client: WooCommerceRestClient | null;
  orderOptions?: CreateOrderOptions;
}

/** What the delivery did, for logs and tests. */
export type DeliveryOutcome = 'ingested' | 'known' | 'cancelled' | 'flagged' | 'catalog' | 'already processed' | 'missing';

// Statuses WooCommerce uses for an order the buyer will not get (or got their money back for).
const ENDED = new Set(['cancelled', 'refunded']);

/**
 * The work on one stored WooCommerce delivery: an order is taken into the ledger (held when we
 * cannot ship it as sent), a cancellation or refund in the store cancels the order here through
 * the staff cancellation (or, once it has shipped, raises a flag for a person), a product
 * updates the catalog and the variant map. The outcome is written on the delivery: processed,
 * or the error, kept visible; the error is rethrown so the job retries.
 */
export async function processWooCommerceDelivery(deliveryId: string, deps: WooCommerceDeliveryDeps): Promise<DeliveryOutcome> {
  const { db } = deps;
  const delivery = await loadWebhookDelivery(db, WOOCOMMERCE_CHANNEL, deliveryId);
  if (!delivery) return 'missing';
  if (delivery.processedAt) return 'already processed';
  try {
    const outcome = await handle(delivery.topic, delivery.payload, deps);
    await finishWebhookDelivery(db, WOOCOMMERCE_CHANNEL, deliveryId, null);
    return outcome;
  } catch (err) {
    await finishWebhookDelivery(db, WOOCOMMERCE_CHANNEL, deliveryId, (err as Error).message ?? String(err));
    throw err;
  }
}

async function handle(topic: string, payload: unknown, deps: WooCommerceDeliveryDeps): Promise<DeliveryOutcome> {
  if (topic === 'order.deleted') {
    const { id } = wooOrderPayloadSchema.pick({ id: true }).parse(payload);
    const order = await ledgerOrder(deps.db, String(id));
    if (!order) return 'known';
    await flagOrder(deps, order.id, 'channel_order_deleted', `WooCommerce order ${id} was moved to the trash`, [
      `the store trashed order ${id}; orderops has it as ${order.status}`,
    ]);
    return 'flagged';
  }
  if (topic.startsWith('order.')) {
    const wooOrder = wooOrderPayloadSchema.parse(payload);
    let order = await ledgerOrder(deps.db, String(wooOrder.id));
    let outcome: DeliveryOutcome = 'known';
    if (!order) {
      const result = await ingestChannelOrder(deps.db, mapWooCommerceOrder(wooOrder), deps.actor, deps.orderOptions);
      order = { id: result.order.id, status: result.order.status };
      outcome = 'ingested';
    }
    if (ENDED.has(wooOrder.status)) return endOrder(deps, order, wooOrder);
    return outcome;
  }
  if (topic.startsWith('product.')) {
    const product = wooProductPayloadSchema.parse(payload);
    let variations: unknown[] = [];
    if (product.type === 'variable') {
      if (!deps.client) throw new Error(`product ${product.id} is variable: reading its variations needs WOOCOMMERCE_URL and the REST API keys`);
      variations = (await deps.client.request<unknown[]>('GET', `/products/${product.id}/variations`, { query: { per_page: 100 } })).body;
    }
    await upsertCatalog(deps.db, [mapWooCommerceProduct(product, variations.map((v) => wooVariationPayloadSchema.parse(v)))], deps.actor);
    return 'catalog';
  }
  throw new Error(`topic ${topic} is not handled`);
}

async function ledgerOrder(db: Db, externalId: string): Promise<{ id: string; status: string } | null> {
  const { rows } = await db.query<{ id: string; status: string }>('SELECT id, status FROM orders WHERE channel = $1 AND external_id = $2', [
    WOOCOMMERCE_CHANNEL,
    externalId,
  ]);
  return rows[0] ?? null;
}

async function endOrder(deps: WooCommerceDeliveryDeps, order: { id: string; status: string }, wooOrder: WooOrderPayload): Promise<DeliveryOutcome> {
  if (order.status === 'cancelled') return 'known';
  const refusal = transitionRefusal(order.status, 'cancelled');
  if (refusal) {
    // Stock that has left cannot be released by a click in the store: a person decides (return, refund).
    await flagOrder(deps, order.id, 'channel_cancelled_after_shipping', `WooCommerce order ${wooOrder.id} was ${wooOrder.status} after it left`, [
      `the store marked order ${wooOrder.id} ${wooOrder.status} while orderops has it ${order.status}`,
    ]);
    return 'flagged';
  }
  try {
    await cancelAndRefundOrder(deps.db, { orderId: order.id, reason: `${wooOrder.status} in WooCommerce` }, deps.actor);
  } catch (err) {
    // A label bought, or the order moved on meanwhile: not ours to undo silently.
    if (!(err instanceof DomainError) || err.type !== 'conflict') throw err;
    await flagOrder(deps, order.id, 'channel_cancelled_after_shipping', `WooCommerce order ${wooOrder.id} was ${wooOrder.status} but cannot be cancelled here`, [
      err.message,
    ]);
    return 'flagged';
  }
  return 'cancelled';
}

async function flagOrder(deps: WooCommerceDeliveryDeps, orderId: string, rule: string, title: string, reasons: string[]): Promise<void> {
  await raiseFlag(
    deps.db,
    { subjectType: 'order', subjectId: orderId, rule, category: 'operations', severity: 'warning', score: 60, title, reasons },
    deps.actor,
  );
}
