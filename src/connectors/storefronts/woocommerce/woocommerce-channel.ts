import type {
  ChannelFulfilment,
  ChannelOrder,
  StockPush,
  StockPushResult,
  StorefrontChannel,
} from '../../../domain/sales-channels/storefront-channel.js';
import { WOOCOMMERCE_CHANNEL, wooChannelOrder } from './map-woocommerce-order.js';
import { wooOrderPayloadSchema } from './woocommerce-order-payload.js';
import type { WooCommerceRestClient } from './woocommerce-rest-client.js';

interface StockRow {
  id: number;
  stock_quantity?: number | null;
  error?: { code: string; message: string };
}

interface OrderNote {
  id: number;
  note: string;
}

// WooCommerce's batch endpoints take at most 100 objects per request.
const BATCH = 100;
const ORDERS_PER_PAGE = 50;
/** The product meta key each stock write carries its idempotency key in, for tracing in the store. */
export const STOCK_PUSH_META_KEY = '_orderops_stock_push';

/** The reference a fulfilment note ends with, so a retried push finds the note it already added. */
export const fulfilmentNoteRef = (idempotencyKey: string) => `[orderops ${idempotencyKey}]`;

/**
 * WooCommerce as a storefront: stock set as an absolute quantity on the product (simple) or the
 * variation (so repeating a push changes nothing), tracking as a customer note and the order
 * completed, recent orders paged for reconciliation.
 */
export class WooCommerceChannel implements StorefrontChannel {
  readonly channel = WOOCOMMERCE_CHANNEL;

  constructor(private readonly client: WooCommerceRestClient) {}

  async pushStock(items: StockPush[]): Promise<StockPushResult[]> {
    const results = new Map<StockPush, StockPushResult>();
    // Stock lives on the variation for variable products, on the product for simple ones.
    const groups = new Map<string, StockPush[]>();
    for (const item of items) {
      const parent = item.externalProductId && item.externalProductId !== item.externalVariantId ? item.externalProductId : '';
      groups.set(parent, [...(groups.get(parent) ?? []), item]);
    }
    for (const [parent, group] of groups) {
      const base = parent ? `/products/${parent}/variations` : '/products';
      for (let i = 0; i < group.length; i += BATCH) {
        const chunk = group.slice(i, i + BATCH);
        try {
          await this.pushChunk(base, chunk, results);
        } catch (err) {
          for (const item of chunk) results.set(item, { variantId: item.variantId, ok: false, error: (err as Error).message });
        }
      }
    }
    return items.map((item) => results.get(item)!);
  }

  private async pushChunk(base: string, chunk: StockPush[], results: Map<StockPush, StockPushResult>): Promise<void> {
    const checked = chunk.filter((i) => i.expected !== null);
    const current = new Map<string, number | null>();
    if (checked.length > 0) {
      const { body } = await this.client.request<StockRow[]>('GET', base, {
        query: { include: checked.map((i) => i.externalVariantId).join(','), per_page: BATCH },
      });
      for (const row of body) current.set(String(row.id), row.stock_quantity ?? null);
    }
    const toWrite: StockPush[] = [];
    for (const item of chunk) {
      if (item.expected !== null) {
        const now = current.get(item.externalVariantId);
        if (now === undefined) {
          results.set(item, { variantId: item.variantId, ok: false, error: `WooCommerce has no item ${item.externalVariantId} under ${base}` });
          continue;
        }
        // Someone changed it in the store since we last set it: refuse, so the difference is seen.
        if ((now ?? 0) !== item.expected && now !== item.quantity) {
          results.set(item, { variantId: item.variantId, ok: false, mismatch: true, channelQuantity: now ?? 0 });
          continue;
        }
      }
      toWrite.push(item);
    }
    if (toWrite.length === 0) return;
    const { body } = await this.client.request<{ update?: StockRow[] }>('POST', `${base}/batch`, {
      idempotencyKey: toWrite.map((i) => i.idempotencyKey).join(',').slice(0, 500),
      body: {
        update: toWrite.map((i) => ({
          id: Number(i.externalVariantId),
          manage_stock: true,
          stock_quantity: i.quantity,
          meta_data: [{ key: STOCK_PUSH_META_KEY, value: i.idempotencyKey }],
        })),
      },
    });
    const byId = new Map((body.update ?? []).map((r) => [String(r.id), r]));
    for (const item of toWrite) {
      const row = byId.get(item.externalVariantId);
      if (!row || row.error) {
        results.set(item, { variantId: item.variantId, ok: false, error: row?.error?.message ?? 'missing from the batch answer' });
        continue;
      }
      const channelQuantity = row.stock_quantity ?? undefined;
      results.set(item, {
        variantId: item.variantId,
        ok: channelQuantity === undefined || channelQuantity === item.quantity,
        ...(channelQuantity !== undefined ? { channelQuantity } : {}),
        ...(channelQuantity !== undefined && channelQuantity !== item.quantity ? { mismatch: true } : {}),
      });
    }
  }

  async pushFulfilment(f: ChannelFulfilment): Promise<{ externalFulfilmentId: string }> {
    const ref = fulfilmentNoteRef(f.idempotencyKey);
    const path = `/orders/${encodeURIComponent(f.externalOrderId)}`;
    const { body: notes } = await this.client.request<OrderNote[]>('GET', `${path}/notes`, { query: { type: 'customer' } });
    let note = notes.find((n) => n.note.includes(ref));
    if (!note) {
      const tracking = f.trackingUrl ? `${f.trackingNumber} (${f.trackingUrl})` : f.trackingNumber;
      const { body } = await this.client.request<OrderNote>('POST', `${path}/notes`, {
        idempotencyKey: f.idempotencyKey,
        body: { note: `Shipped with ${f.carrier}, tracking number ${tracking}. ${ref}`, customer_note: f.notifyCustomer },
      });
      note = body;
    }
    // WooCommerce has no partly shipped status: the order is completed once every line has gone.
    if (f.lines.length === 0) {
      await this.client.request('PUT', path, { idempotencyKey: f.idempotencyKey, body: { status: 'completed' } });
    }
    return { externalFulfilmentId: `note-${note.id}` };
  }

  async listOrdersSince(since: Date, cursor: string | null): Promise<{ orders: ChannelOrder[]; nextCursor: string | null }> {
    const page = cursor ? Number(cursor) : 1;
    const { body, headers } = await this.client.request<unknown[]>('GET', '/orders', {
      query: {
        modified_after: since.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        dates_are_gmt: 'true',
        orderby: 'modified',
        order: 'asc',
        per_page: ORDERS_PER_PAGE,
        page,
      },
    });
    const orders = body.map((raw) => {
      const parsed = wooOrderPayloadSchema.safeParse(raw);
      if (!parsed.success) {
        const id = (raw as { id?: unknown })?.id;
        throw new Error(`WooCommerce order ${String(id)} on page ${page} is not an order: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      }
      return wooChannelOrder(parsed.data);
    });
    const totalPages = Number(headers.get('x-wp-totalpages') ?? '1');
    return { orders, nextCursor: page < totalPages ? String(page + 1) : null };
  }
}
