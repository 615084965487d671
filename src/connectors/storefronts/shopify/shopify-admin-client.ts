import { createHash } from 'node:crypto';
import { channelOrderSchema } from '../../../domain/orders/canonical-order.js';
import type {
  ChannelFulfilment,
  ChannelOrder,
  StockPush,
  StockPushResult,
  StorefrontChannel,
} from '../../../domain/sales-channels/storefront-channel.js';
import { graphqlOrderToPayload, SHOPIFY_ORDER_FIELDS, type GraphqlOrderNode } from './graphql-order-to-payload.js';
import { mapShopifyOrder, SHOPIFY_CHANNEL } from './map-shopify-order.js';
import type { CircuitBreaker } from '../../circuit-breaker.js';
import { createShopifyGraphql, type ShopifyGraphql } from './shopify-graphql-transport.js';
import { legacyShopifyId, shopifyGid } from './shopify-gid.js';

export interface ShopifyAdminClientOptions {
  /** The Admin GraphQL endpoint. */
  url: string;
  accessToken: string;
  /** The location gid whose "available" quantity stock pushes set. */
  locationId: string | undefined;
  /** Orders per page when listing for reconciliation. */
  pageSize?: number;
  log?: (line: string) => void;
  graphql?: ShopifyGraphql;
  /** The shop's circuit, for the transport built here when `graphql` is not given. */
  breaker?: CircuitBreaker;
}

/** The Admin GraphQL endpoint for a shop and API version. */
export const shopifyAdminUrl = (shopDomain: string, version: string) => `https://${shopDomain}/admin/api/${version}/graphql.json`;

// 2026-04 contract: every quantity names changeFromQuantity (null opts out of the check), and the
// mutation must carry an idempotency key in the @idempotent directive.
const INVENTORY_SET = `mutation OrderopsInventorySet($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}`;

// Shopify accepts at most 250 quantities in one inventorySetQuantities input.
const MAX_QUANTITIES_PER_SET = 250;

const INVENTORY_LEVEL = `query OrderopsInventoryLevel($id: ID!, $locationId: ID!) {
  inventoryItem(id: $id) { inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } } }
}`;

const FULFILLMENT_STATE = `query OrderopsFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) { id status trackingInfo { company number url } }
    fulfillmentOrders(first: 20) { nodes { id status lineItems(first: 250) { nodes { id remainingQuantity lineItem { id } } } } }
  }
}`;

const FULFILLMENT_CREATE = `mutation OrderopsFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}`;

const ORDERS_SINCE = `query OrderopsOrdersSince($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ${SHOPIFY_ORDER_FIELDS} }
  }
}`;

interface UserError { code?: string | null; field?: string[] | null; message: string }
interface FulfillmentState {
  order: {
    id: string;
    fulfillments: { id: string; status: string; trackingInfo: { number: string | null }[] }[];
    fulfillmentOrders: { nodes: { id: string; status: string; lineItems: { nodes: { id: string; remainingQuantity: number; lineItem: { id: string } }[] } }[] };
  } | null;
}

const OPEN_FULFILLMENT_ORDER = new Set(['OPEN', 'IN_PROGRESS']);

/** Shopify's Admin GraphQL API as a storefront channel: stock out, tracking out, orders listed. */
export class ShopifyAdminClient implements StorefrontChannel {
  readonly channel = SHOPIFY_CHANNEL;
  readonly graphql: ShopifyGraphql;
  /** The Admin GraphQL endpoint this client calls. */
  readonly url: string;

  constructor(private readonly options: ShopifyAdminClientOptions) {
    this.url = options.url;
    this.graphql = options.graphql ?? createShopifyGraphql({ url: options.url, accessToken: options.accessToken, breaker: options.breaker });
  }

  /**
   * One `inventorySetQuantities` call per batch: a burst over many variants costs one request and
   * one share of the throttle, not one each. The call is all or nothing, so when any quantity is
   * refused (a stale compare) each item is sent again on its own, to learn which ones disagree.
   */
  async pushStock(items: StockPush[]): Promise<StockPushResult[]> {
    const locationId = this.options.locationId;
    const sendable = items.filter((i) => locationId && i.externalInventoryItemId);
    const batched = new Map<string, StockPushResult>();
    for (let start = 0; start < sendable.length; start += MAX_QUANTITIES_PER_SET) {
      const chunk = sendable.slice(start, start + MAX_QUANTITIES_PER_SET);
      const outcome = chunk.length > 1 ? await this.pushBatch(chunk, locationId!) : null;
      for (const item of chunk) batched.set(item.variantId, outcome?.get(item.variantId) ?? (await this.pushOne(item)));
    }
    const results: StockPushResult[] = [];
    for (const item of items) results.push(batched.get(item.variantId) ?? (await this.pushOne(item)));
    return results;
  }

  /** The whole chunk in one call; null when Shopify refused any of it (the caller retries per item). */
  private async pushBatch(chunk: StockPush[], locationId: string): Promise<Map<string, StockPushResult> | null> {
    // The key names exactly these pushes, so a retried batch is a replay and a different one is not.
    const key = `batch-${createHash('sha256').update(chunk.map((i) => i.idempotencyKey).join('\n')).digest('hex').slice(0, 40)}`;
    try {
      const { data } = await this.graphql.request<{
        inventorySetQuantities: { inventoryAdjustmentGroup: { id: string } | null; userErrors: UserError[] } | null;
      }>('OrderopsInventorySet', INVENTORY_SET, {
        key,
        input: {
          name: 'available',
          reason: 'correction',
          referenceDocumentUri: `orderops://stock-push/${key}`,
          quantities: chunk.map((item) => ({
            inventoryItemId: shopifyGid('InventoryItem', item.externalInventoryItemId!),
            locationId,
            quantity: item.quantity,
            changeFromQuantity: item.expected,
          })),
        },
      });
      const payload = data.inventorySetQuantities;
      if (!payload || payload.userErrors.length > 0) return null;
      return new Map(chunk.map((item) => [item.variantId, { variantId: item.variantId, ok: true, channelQuantity: item.quantity }]));
    } catch {
      return null;
    }
  }

  private async pushOne(item: StockPush): Promise<StockPushResult> {
    const locationId = this.options.locationId;
    if (!locationId) return { variantId: item.variantId, ok: false, error: 'SHOPIFY_LOCATION_ID is not set: no Shopify location to set stock at' };
    if (!item.externalInventoryItemId) {
      return { variantId: item.variantId, ok: false, error: `variant ${item.variantId} has no Shopify inventory item in the variant map` };
    }
    try {
      const { data } = await this.graphql.request<{
        inventorySetQuantities: { inventoryAdjustmentGroup: { changes: { quantityAfterChange: number | null }[] } | null; userErrors: UserError[] } | null;
      }>('OrderopsInventorySet', INVENTORY_SET, {
        key: item.idempotencyKey,
        input: {
          name: 'available',
          reason: 'correction',
          referenceDocumentUri: `orderops://stock-push/${encodeURIComponent(item.variantId)}/${encodeURIComponent(item.idempotencyKey)}`,
          quantities: [
            {
              inventoryItemId: shopifyGid('InventoryItem', item.externalInventoryItemId),
              locationId,
              quantity: item.quantity,
              changeFromQuantity: item.expected,
            },
          ],
        },
      });
      const payload = data.inventorySetQuantities;
      const errors = payload?.userErrors ?? [];
      if (errors.some((e) => e.code === 'CHANGE_FROM_QUANTITY_STALE' || e.code === 'COMPARE_QUANTITY_STALE')) {
        const current = await this.availableAt(shopifyGid('InventoryItem', item.externalInventoryItemId), locationId).catch(() => undefined);
        // Shopify lowers available itself when its checkout sells: a channel already holding the
        // value we came to set agrees with us, whatever we last set.
        if (current === item.quantity) return { variantId: item.variantId, ok: true, channelQuantity: current };
        return {
          variantId: item.variantId,
          ok: false,
          mismatch: true,
          ...(current !== undefined ? { channelQuantity: current } : {}),
          error: errors.map((e) => e.message).join('; '),
        };
      }
      if (errors.length || !payload) {
        return { variantId: item.variantId, ok: false, error: errors.map((e) => `${e.code ?? 'error'}: ${e.message}`).join('; ') || 'no payload' };
      }
      const after = payload.inventoryAdjustmentGroup?.changes.find((c) => typeof c.quantityAfterChange === 'number')?.quantityAfterChange;
      // A set to the value already there changes nothing, so Shopify reports no change: the value is what we sent.
      return { variantId: item.variantId, ok: true, channelQuantity: after ?? item.quantity };
    } catch (err) {
      return { variantId: item.variantId, ok: false, error: (err as Error).message };
    }
  }

  /** What Shopify shows as available for an item at a location now, so a refused compare says what the channel holds. */
  private async availableAt(inventoryItemId: string, locationId: string): Promise<number | undefined> {
    const { data } = await this.graphql.request<{
      inventoryItem: { inventoryLevel: { quantities: { name: string; quantity: number }[] } | null } | null;
    }>('OrderopsInventoryLevel', INVENTORY_LEVEL, { id: inventoryItemId, locationId });
    return data.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === 'available')?.quantity;
  }

  async pushFulfilment(f: ChannelFulfilment): Promise<{ externalFulfilmentId: string }> {
    const orderGid = shopifyGid('Order', f.externalOrderId);
    const { data } = await this.graphql.request<FulfillmentState>('OrderopsFulfillmentOrders', FULFILLMENT_STATE, { id: orderGid });
    if (!data.order) throw new Error(`Shopify order ${f.externalOrderId} not found`);
    // fulfillmentCreate takes no idempotency key, so a retry finds its own earlier fulfilment by tracking number.
    const existing = data.order.fulfillments.find((x) => x.status !== 'CANCELLED' && x.trackingInfo.some((t) => t.number === f.trackingNumber));
    if (existing) return { externalFulfilmentId: existing.id };
    const wanted = new Map(f.lines.map((l) => [legacyShopifyId(l.externalLineId), l.quantity]));
    const groups = data.order.fulfillmentOrders.nodes
      .filter((fo) => OPEN_FULFILLMENT_ORDER.has(fo.status))
      .map((fo) => ({
        fulfillmentOrderId: fo.id,
        fulfillmentOrderLineItems: fo.lineItems.nodes
          .map((li) => {
            const remaining = li.remainingQuantity;
            const asked = wanted.size === 0 ? remaining : wanted.get(legacyShopifyId(li.lineItem.id)) ?? 0;
            return { id: li.id, quantity: Math.min(asked, remaining) };
          })
          .filter((li) => li.quantity > 0),
      }))
      .filter((g) => g.fulfillmentOrderLineItems.length > 0);
    if (groups.length === 0) throw new Error(`Shopify order ${f.externalOrderId} has nothing left to fulfil`);
    const created = await this.graphql.request<{
      fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: UserError[] } | null;
    }>('OrderopsFulfillmentCreate', FULFILLMENT_CREATE, {
      fulfillment: {
        lineItemsByFulfillmentOrder: groups,
        trackingInfo: { company: f.carrier, number: f.trackingNumber, ...(f.trackingUrl ? { url: f.trackingUrl } : {}) },
        notifyCustomer: f.notifyCustomer,
      },
    });
    const result = created.data.fulfillmentCreate;
    if (!result?.fulfillment) {
      throw new Error(`Shopify refused the fulfilment of order ${f.externalOrderId}: ${(result?.userErrors ?? []).map((e) => e.message).join('; ') || 'no fulfilment returned'}`);
    }
    return { externalFulfilmentId: result.fulfillment.id };
  }

  async listOrdersSince(since: Date, cursor: string | null): Promise<{ orders: ChannelOrder[]; nextCursor: string | null }> {
    const { data } = await this.graphql.request<{
      orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GraphqlOrderNode[] };
    }>('OrderopsOrdersSince', ORDERS_SINCE, {
      first: this.options.pageSize ?? 50,
      after: cursor,
      query: `updated_at:>='${since.toISOString()}'`,
    });
    const orders: ChannelOrder[] = [];
    for (const node of data.orders.nodes) {
      const parsed = channelOrderSchema.safeParse(mapShopifyOrder(graphqlOrderToPayload(node)));
      if (!parsed.success) {
        // Not taken in, and said so: the run's seen count includes it, the log names the field.
        this.options.log?.(`shopify reconciliation: order ${node.name ?? node.id} skipped: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        continue;
      }
      orders.push({
        externalId: parsed.data.external_id,
        updatedAt: node.updatedAt,
        order: parsed.data,
        channelStatus: [node.cancelledAt ? 'cancelled' : null, node.displayFinancialStatus?.toLowerCase(), node.displayFulfillmentStatus?.toLowerCase()]
          .filter(Boolean)
          .join(', ') || null,
      });
    }
    const { hasNextPage, endCursor } = data.orders.pageInfo;
    return { orders, nextCursor: hasNextPage && endCursor ? endCursor : null };
  }
}
