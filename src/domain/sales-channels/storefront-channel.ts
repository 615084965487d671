import type { CanonicalOrder } from '../orders/canonical-order.js';

/** One variant's sellable quantity as a channel should show it. */
export interface StockPush {
  variantId: string;
  externalVariantId: string;
  externalProductId: string | null;
  /** Shopify's inventory item; null for channels that keep stock on the variant. */
  externalInventoryItemId: string | null;
  /** What the channel should show: available across our locations minus safety stock, never below 0. */
  quantity: number;
  /** The value we last set there, for compare-and-set; null when unknown. */
  expected: number | null;
  /** Stable for one push attempt of one value, so a retried call changes nothing twice. */
  idempotencyKey: string;
}

export interface StockPushResult {
  variantId: string;
  ok: boolean;
  /** What the channel holds after the call, when it told us. */
  channelQuantity?: number;
  /** The channel's value differed from `expected` (someone else changed it there). */
  mismatch?: boolean;
  error?: string;
}

/** A shipment as a channel's fulfilment: which order, which carrier and tracking number. */
export interface ChannelFulfilment {
  externalOrderId: string;
  /** Channel line ids and quantities; empty means every remaining line. */
  lines: { externalLineId: string; quantity: number }[];
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  notifyCustomer: boolean;
  idempotencyKey: string;
}

/** An order as the channel has it, already mapped to the canonical shape. */
export interface ChannelOrder {
  externalId: string;
  updatedAt: string;
  order: CanonicalOrder;
  /** The channel's own status words (cancelled, refunded ...), for reconciliation reports. */
  channelStatus: string | null;
}

/**
 * What orderops needs from a storefront (Shopify, WooCommerce): stock and tracking out, orders
 * listed for reconciliation. Incoming webhooks are the connector's own HTTP door.
 */
export interface StorefrontChannel {
  /** The channel name orders carry (`shopify`, `woocommerce`). */
  readonly channel: string;
  pushStock(items: StockPush[]): Promise<StockPushResult[]>;
  pushFulfilment(fulfilment: ChannelFulfilment): Promise<{ externalFulfilmentId: string }>;
  /** Orders created or updated since `since`, one page at a time; `nextCursor` null on the last page. */
  listOrdersSince(since: Date, cursor: string | null): Promise<{ orders: ChannelOrder[]; nextCursor: string | null }>;
}
