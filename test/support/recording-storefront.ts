import type {
  ChannelFulfilment,
  ChannelOrder,
  StockPush,
  StockPushResult,
  StorefrontChannel,
} from '../../src/domain/sales-channels/storefront-channel.js';

export interface RecordedStockCall {
  at: number;
  items: StockPush[];
  results: StockPushResult[];
}

/**
 * An in-memory storefront: keeps a quantity per external variant and applies pushes with
 * compare-and-set the way Shopify's inventory mutations do (a push whose `expected` is not what
 * the store holds is refused and told the real value). Records every call. `failNext` makes the
 * next calls throw (an outage), `otherWriter` changes the store's value after each call of ours that it applied
 * (a POS or a person editing stock there), `latencyMs` stands for the network round trip.
 */
export class RecordingStorefront implements StorefrontChannel {
  readonly calls: RecordedStockCall[] = [];
  readonly stock = new Map<string, number>();
  readonly appliedKeys = new Set<string>();
  private failures = 0;
  private gate: Promise<void> | null = null;
  private failure = 'storefront unavailable';
  otherWriter: ((externalVariantId: string, value: number) => number) | null = null;

  constructor(
    readonly channel: string,
    private readonly options: { latencyMs?: number; compareAndSet?: boolean } = {},
  ) {}

  failNext(calls: number, message = 'storefront unavailable (503)'): void {
    this.failures = calls;
    this.failure = message;
  }

  /** Holds every call until the returned function is called (a slow channel, made deterministic). */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise((resolve) => (open = resolve));
    return () => {
      this.gate = null;
      open();
    };
  }

  /** Calls that reached the store and were applied (not thrown). */
  get successfulCalls(): RecordedStockCall[] {
    return this.calls.filter((c) => c.results.length > 0);
  }

  async pushStock(items: StockPush[]): Promise<StockPushResult[]> {
    if (this.gate) await this.gate;
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (this.failures > 0) {
      this.failures--;
      this.calls.push({ at: Date.now(), items, results: [] });
      throw new Error(this.failure);
    }
    const results = items.map((item): StockPushResult => {
      const current = this.stock.get(item.externalVariantId);
      if (this.appliedKeys.has(item.idempotencyKey)) {
        return { variantId: item.variantId, ok: true, channelQuantity: current ?? item.quantity };
      }
      if ((this.options.compareAndSet ?? true) && item.expected !== null && current !== undefined && current !== item.expected) {
        return { variantId: item.variantId, ok: false, mismatch: true, channelQuantity: current, error: `expected ${item.expected}, store has ${current}` };
      }
      this.stock.set(item.externalVariantId, item.quantity);
      this.appliedKeys.add(item.idempotencyKey);
      return { variantId: item.variantId, ok: true, channelQuantity: item.quantity };
    });
    this.calls.push({ at: Date.now(), items, results });
    if (this.otherWriter && results.some((r) => r.ok)) {
      for (const [id, value] of this.stock) this.stock.set(id, this.otherWriter(id, value));
    }
    return results;
  }

  async pushFulfilment(_fulfilment: ChannelFulfilment): Promise<{ externalFulfilmentId: string }> {
    throw new Error('the recording storefront records stock only');
  }

  async listOrdersSince(_since: Date, _cursor: string | null): Promise<{ orders: ChannelOrder[]; nextCursor: string | null }> {
    return { orders: [], nextCursor: null };
  }
}
