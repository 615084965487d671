import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { executeToolCall } from '../../src/agent/tool-executor.js';
import { graphqlOrderToPayload } from '../../src/connectors/storefronts/shopify/graphql-order-to-payload.js';
import { mapShopifyOrder } from '../../src/connectors/storefronts/shopify/map-shopify-order.js';
import { shopifyExtension } from '../../src/connectors/storefronts/shopify/shopify-extension.js';
import { ShopifyAdminClient } from '../../src/connectors/storefronts/shopify/shopify-admin-client.js';
import { systemActor } from '../../src/domain/actor.js';
import { channelOrderSchema } from '../../src/domain/orders/canonical-order.js';
import { ingestChannelOrder } from '../../src/domain/orders/ingest-channel-order.js';
import { reconcileChannelOrders } from '../../src/domain/sales-channels/reconcile-channel-orders.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { startShopifyWireServer, type ShopifyWireServer, type WireOrder } from '../support/shopify-wire-server.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';

const graphqlOrder = (id: string, updatedAt: string): WireOrder => {
  const o = JSON.parse(readFileSync(new URL('../fixtures/shopify/graphql-order.json', import.meta.url), 'utf8'));
  o.id = `gid://shopify/Order/${id}`;
  o.legacyResourceId = id;
  o.updatedAt = updatedAt;
  o.email = o.customer.email = `recon-${id}@example.com`;
  return o;
};

describeEachDb('Shopify reconciliation', (ctx) => {
  let shop: ShopifyWireServer;
  let running: RunningApp;
  const actor = systemActor('shopify');
  const TOKEN = 'reconciliation-test-token-0123456789';
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-shopify-recon', [{ sku: 'SOCK-MERINO-M', price: '20.00', stock: { 'loc-east-wh': 100 } }]);
    shop = await startShopifyWireServer({
      orders: [graphqlOrder('8800001', '2026-12-02T10:00:00Z'), graphqlOrder('8800002', '2026-12-02T10:05:00Z'), graphqlOrder('8800003', '2026-11-01T00:00:00Z')],
    });
    const config = testAppConfig('shopify-recon', { API_TOKEN: TOKEN, ROUTING_QUOTES: 'estimate', AUTO_FULFIL: 'false' });
    running = await startApp(config, { db: ctx.db, extensions: [shopifyExtension({ channel: null })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await shop?.close();
  });

  it('takes in the order the webhooks missed and records caught=1; a second run catches 0', async () => {
    // 8800001 came in by webhook; 8800002 never did; 8800003 is older than the window.
    const delivered = channelOrderSchema.parse(mapShopifyOrder(graphqlOrderToPayload(shop.orders[0] as never)));
    await ingestChannelOrder(ctx.db, delivered, actor);
    const channel = new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: undefined, pageSize: 1 });
    const since = new Date('2026-12-02T09:00:00Z');

    const first = await reconcileChannelOrders(ctx.db, channel, since, actor);
    expect(first).toMatchObject({ seen: 2, caught: 1, caughtIds: ['8800002'] });
    const inLedger = await ctx.db.query<{ external_id: string }>(`SELECT external_id FROM orders WHERE channel = 'shopify' ORDER BY external_id`);
    expect(inLedger.rows.map((r) => r.external_id)).toEqual(['8800001', '8800002']);
    // Two pages of one order each, then the cursor ran out.
    expect(shop.requests.filter((r) => r.rootField === 'orders')).toHaveLength(2);

    const second = await reconcileChannelOrders(ctx.db, channel, since, actor);
    expect(second).toMatchObject({ seen: 2, caught: 0, caughtIds: [] });

    const res = await fetch(`${running.url}/api/channels/shopify/reconciliation`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runs: { caught: number; seen: number }[]; caughtInListedRuns: number; enabled: boolean };
    expect(body.runs.map((r) => r.caught)).toEqual([0, 1]);
    expect(body.caughtInListedRuns).toBe(1);
    expect(body.enabled).toBe(false);
    expect((await fetch(`${running.url}/api/channels/shopify/reconciliation`)).status).toBe(401);

    const approvals = createApprovalService({ db: ctx.db, config: running.app.orderops.config });
    const result = await executeToolCall(
      {
        toolset: opsToolset(),
        ctx: { db: ctx.db, config: running.app.orderops.config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'U1' }, persona: 'ops' },
        approvals,
        requester: { kind: 'person', id: 'U1' },
        verification: { verified: true, summary: 'test' },
        origin: { channel: 'slack', threadKey: 't-recon' },
      },
      { id: 'toolu_1', name: 'list_reconciliation_runs', input: { channel: 'shopify' } },
    );
    const tool = JSON.parse(result.content as string) as { runs: { caught: number; caughtIds: string[] }[]; caughtInTheseRuns: number };
    expect(tool.caughtInTheseRuns).toBe(1);
    expect(tool.runs[1]!.caughtIds).toEqual(['8800002']);
  });

  it('runs on its own at start-up when the shop is configured, looking back two periods', async () => {
    const runsBefore = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM channel_reconciliation_runs`)).rows[0]!.n;
    shop.orders.push(graphqlOrder('8800004', new Date().toISOString()));
    const config = testAppConfig('shopify-recon-scheduled', {
      SHOPIFY_SHOP_DOMAIN: 'example.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: shop.accessToken,
      SHOPIFY_API_URL: shop.url,
      SHOPIFY_RECONCILE_MINUTES: '5',
      ROUTING_QUOTES: 'estimate',
      AUTO_FULFIL: 'false',
    });
    const lines: string[] = [];
    const scheduled = await startApp(config, { db: ctx.db, extensions: [shopifyExtension()], log: (l) => lines.push(l) });
    try {
      await scheduled.queue.drain();
      const runs = await ctx.db.query<{ caught_ids: string[]; since: Date }>(`SELECT caught_ids, since FROM channel_reconciliation_runs ORDER BY id`);
      expect(runs.rows).toHaveLength(runsBefore + 1);
      expect(runs.rows.at(-1)!.caught_ids).toEqual(['8800004']);
      // It looked back two periods (10 minutes), from the start of the current one.
      const since = new Date(runs.rows.at(-1)!.since).getTime();
      expect(Date.now() - since).toBeGreaterThanOrEqual(10 * 60_000);
      expect(Date.now() - since).toBeLessThanOrEqual(15 * 60_000 + 5_000);
      expect(lines.join('\n')).toContain('reconciliation every 5 min');
    } finally {
      await scheduled.stop();
    }
  });
});
