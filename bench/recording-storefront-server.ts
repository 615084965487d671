import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type {
  ChannelFulfilment,
  ChannelOrder,
  StockPush,
  StockPushResult,
  StorefrontChannel,
} from '../src/domain/sales-channels/storefront-channel.js';

/** One stock value as it reached the storefront: when (epoch ms, sub-ms), which variant, what value. */
export interface StockArrival {
  at: number;
  externalVariantId: string;
  quantity: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A storefront on 127.0.0.1 for the sync benchmark until a real channel's wire server is wired
 * in: `POST /stock` with `{ items: StockPush[] }` sets each value (idempotent per key) and
 * answers `{ results }`; every value is recorded with its arrival time.
 */
export async function startRecordingStorefrontServer(): Promise<{ url: string; arrivals: StockArrival[]; calls: () => number; close: () => Promise<void> }> {
  const arrivals: StockArrival[] = [];
  const seen = new Set<string>();
  let calls = 0;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/stock') {
      res.writeHead(404).end();
      return;
    }
    const items = (JSON.parse(await body(req)) as { items: StockPush[] }).items;
    const at = nowMs();
    calls++;
    const results: StockPushResult[] = items.map((i) => {
      if (!seen.has(i.idempotencyKey)) {
        seen.add(i.idempotencyKey);
        arrivals.push({ at, externalVariantId: i.externalVariantId, quantity: i.quantity });
      }
      return { variantId: i.variantId, ok: true, channelQuantity: i.quantity };
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    calls: () => calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The StorefrontChannel that talks to the recording server. */
export function recordingStorefrontClient(channel: string, url: string): StorefrontChannel {
  return {
    channel,
    async pushStock(items) {
      const res = await request(`${url}/stock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      if (res.statusCode !== 200) throw new Error(`storefront answered ${res.statusCode}`);
      return ((await res.body.json()) as { results: StockPushResult[] }).results;
    },
    async pushFulfilment(_f: ChannelFulfilment): Promise<{ externalFulfilmentId: string }> {
      throw new Error('the recording storefront records stock only');
    },
    async listOrdersSince(_since: Date, _cursor: string | null): Promise<{ orders: ChannelOrder[]; nextCursor: string | null }> {
      return { orders: [], nextCursor: null };
    },
  };
}
