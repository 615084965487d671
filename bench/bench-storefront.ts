import { ShopifyAdminClient } from '../src/connectors/storefronts/shopify/shopify-admin-client.js';
import type { StorefrontChannel } from '../src/domain/sales-channels/storefront-channel.js';
import { startShopifyWireServer } from '../test/support/shopify-wire-server.js';
import { recordingStorefrontClient, startRecordingStorefrontServer, type StockArrival } from './recording-storefront-server.js';

export const BENCH_STOREFRONTS = ['shopify', 'recording'] as const;
export type BenchStorefrontKind = (typeof BENCH_STOREFRONTS)[number];

/** A storefront on 127.0.0.1 for bench:sync, with every stock value it took and when. */
export interface BenchStorefront {
  channel: StorefrontChannel;
  describe: string;
  /** The bench SKU's external ids: variant id `ext-<i>`, inventory item `<46200000000 + i>`. */
  ids: (i: number) => { externalVariantId: string; externalInventoryItemId: string };
  /** Values applied (not refused, not replays of a key), keyed by external variant id. */
  arrivals: () => StockArrival[];
  /** HTTP requests the storefront answered. */
  requests: () => number;
  close: () => Promise<void>;
}

const SHOPIFY_LOCATION = 'gid://shopify/Location/61000001';
const ids = (i: number) => ({ externalVariantId: `ext-${i}`, externalInventoryItemId: String(46_200_000_000 + i) });

/**
 * `shopify`: the Shopify adapter against the local Admin GraphQL server (its cost throttle at the
 * server's defaults); `recording`: a plain JSON storefront that only records.
 */
export async function openBenchStorefront(kind: BenchStorefrontKind): Promise<BenchStorefront> {
  if (kind === 'recording') {
    const server = await startRecordingStorefrontServer();
    return {
      channel: recordingStorefrontClient('bench-store', server.url),
      describe: 'recording JSON storefront on 127.0.0.1',
      ids,
      arrivals: () => server.arrivals,
      requests: server.calls,
      close: server.close,
    };
  }
  const shop = await startShopifyWireServer();
  const extOf = (gid: string) => `ext-${Number(gid.slice(gid.lastIndexOf('/') + 1)) - 46_200_000_000}`;
  return {
    channel: new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: SHOPIFY_LOCATION }),
    describe: 'Shopify adapter -> local Admin GraphQL server on 127.0.0.1 (cost throttle: 2,000 points, 100/s restore, 10 per call)',
    ids,
    arrivals: () =>
      shop.inventorySets
        .filter((s) => !s.refused && !s.replay)
        .flatMap((s) => s.quantities.map((q) => ({ at: s.receivedAtHr, externalVariantId: extOf(q.inventoryItemId), quantity: q.quantity }))),
    requests: () => shop.requests.length,
    close: () => shop.close(),
  };
}
