import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anomalyExtension } from '../../src/anomaly/anomaly-extension.js';
import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { ShopifyAdminClient } from '../../src/connectors/storefronts/shopify/shopify-admin-client.js';
import { shopifyExtension } from '../../src/connectors/storefronts/shopify/shopify-extension.js';
import { WooCommerceChannel } from '../../src/connectors/storefronts/woocommerce/woocommerce-channel.js';
import { WooCommerceRestClient } from '../../src/connectors/storefronts/woocommerce/woocommerce-rest-client.js';
import { channelFulfilmentExtension } from '../../src/config/channel-fulfilment-extension.js';
import type { Actor } from '../../src/domain/actor.js';
import { writeOutbox } from '../../src/domain/events/write-outbox.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { fulfilOrder } from '../../src/domain/shipping/fulfil-order.js';
import { notificationLinks } from '../../src/notifications/notification-links.js';
import { routingExtension } from '../../src/server/routing-extension.js';
import { getOrderDetails } from '../../src/tools/get-order-details.js';
import { wooCommerceExtension } from '../../src/connectors/storefronts/woocommerce/woocommerce-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { startShopifyWireServer, type ShopifyWireServer } from '../support/shopify-wire-server.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { WooCommerceWireServer } from '../support/woocommerce-wire-server.js';
import { wooWebhookDelivery } from '../support/woocommerce-webhook.js';
import { wooOrder } from '../woocommerce/woo-order-fixture.js';

const actor: Actor = { kind: 'api', id: 'channel-fulfilment-test' };
const SHOPIFY_SECRET = 'shopify-fulfilment-secret';
const WOO_SECRET = 'woo-fulfilment-secret';
const SIGNING_SECRET = 'channel-fulfilment-link-signing-secret-01';
const WOO_KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const WOO_CS = 'cs_76543210fedcba9876543210fedcba9876543210';
const shopifyFixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/shopify/${name}`, import.meta.url), 'utf8'));

// Storefront order in through its signed webhook → label bought from the sandbox carrier →
// the label's outbox event → one fulfilment at the storefront's local wire server.
describeEachDb('tracking pushed to the storefront an order came from', (ctx) => {
  let running: RunningApp;
  let shop: ShopifyWireServer;
  const woo = new WooCommerceWireServer(WOO_KEY, WOO_CS);
  const sandbox = new SandboxCarrier({ clock: () => new Date(), store: new MemorySandboxLabelStore(), webhookSecret: 'whsec-fulfilment-push' });
  let seq = 0;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-chf', [
      { sku: 'SOCK-MERINO-M', price: '20.00', stock: { 'loc-east-wh': 500 } },
      { sku: 'GIFT-20', price: '20.00', stock: { 'loc-east-wh': 500 } },
      { sku: 'CHF-A', price: '3.00', stock: { 'loc-east-wh': 500 } },
      { sku: 'CHF-B', price: '12.00', stock: { 'loc-east-wh': 500 } },
      // Stocked apart, so an order of both ships as two parcels.
      { sku: 'CHF-C', price: '3.00', stock: { 'loc-east-wh': 50 } },
      { sku: 'CHF-D', price: '12.00', stock: { 'loc-west-wh': 50 } },
    ]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300, length_mm = 300, width_mm = 200, height_mm = 30 WHERE product_id = 'p-chf'`);
    await seedShippingLocations(ctx.db);
    shop = await startShopifyWireServer();
    const wooApi = await woo.start();
    const wooClient = new WooCommerceRestClient({ url: wooApi.replace(/\/wp-json\/wc\/v3$/, ''), consumerKey: WOO_KEY, consumerSecret: WOO_CS, sleep: async () => {} });
    const channels = [
      new ShopifyAdminClient({ url: shop.url, accessToken: shop.accessToken, locationId: 'gid://shopify/Location/1' }),
      new WooCommerceChannel(wooClient),
    ];
    const config = testAppConfig('channel-fulfilment', {
      SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
      SIGNING_SECRET,
      AUTO_FULFIL: 'false',
      ROUTING_QUOTES: 'estimate',
    });
    running = await startApp(config, {
      db: ctx.db,
      extensions: [anomalyExtension, routingExtension, shopifyExtension({ channel: null }), wooCommerceExtension({ client: null }), channelFulfilmentExtension({ channels })],
      carriers: [sandbox],
      log: () => {},
    });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await shop?.close();
    await woo.stop();
  });

  const orderIdOf = async (channel: string, externalId: string) =>
    (await ctx.db.query<{ id: string }>('SELECT id FROM orders WHERE channel = $1 AND external_id = $2', [channel, externalId])).rows[0]!.id;
  const pushRow = async (orderId: string) =>
    (await ctx.db.query<{ status: string; attempts: number; last_error: string | null; external_fulfilment_id: string | null }>(
      'SELECT status, attempts, last_error, external_fulfilment_id FROM channel_fulfilments WHERE order_id = $1',
      [orderId],
    )).rows;
  /** The label event of every shipment of the order again, as a redelivery would bring it. */
  const redeliver = async (orderId: string) => {
    const { rows } = await ctx.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE topic = 'shipment.label_purchased' AND payload->>'orderId' = $1`,
      [orderId],
    );
    for (const r of rows) await ctx.db.transaction((tx) => writeOutbox(tx, 'shipment.label_purchased', r.payload));
  };

  async function shopifyOrderIn(): Promise<{ orderId: string; externalId: string }> {
    const o = shopifyFixture('orders-create.json');
    o.id = 9_300_000_000 + ++seq;
    o.admin_graphql_api_id = `gid://shopify/Order/${o.id}`;
    o.email = o.customer.email = `chf${seq}@example.com`;
    // A customer and device of its own, so the risk check holds none of these orders.
    if (o.client_details) o.client_details = { ...o.client_details, browser_ip: `198.51.100.${seq}`, user_agent: `chf-test/${seq}` };
    delete o.browser_ip;
    // Express (overnight) is a service none of the test locations offers.
    o.shipping_lines[0].code = o.shipping_lines[0].title = 'Standard';
    // The gift card line stays: it ships nothing, so it is in no parcel and no fulfilment.
    // The same order as the Admin API shows it, with the line ids the webhook carried.
    shop.orders.push({
      id: o.admin_graphql_api_id,
      legacyResourceId: String(o.id),
      name: o.name,
      createdAt: o.created_at,
      updatedAt: o.updated_at,
      lineItems: { nodes: o.line_items.map((l: any) => ({ id: l.admin_graphql_api_id, quantity: l.quantity })) },
    });
    const raw = JSON.stringify(o);
    const res = await fetch(`${running.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'example.myshopify.com',
        'x-shopify-api-version': '2026-04',
        'x-shopify-webhook-id': `wh-chf-${seq}`,
        'x-shopify-triggered-at': new Date().toISOString(),
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(raw).digest('base64'),
      },
      body: raw,
    });
    expect(res.status).toBe(200);
    await settleOutbox(running);
    return { orderId: await orderIdOf('shopify', String(o.id)), externalId: o.admin_graphql_api_id };
  }

  async function wooOrderIn(skus: [string, string] = ['CHF-A', 'CHF-B']): Promise<{ orderId: string; wooId: number }> {
    const id = 7_100 + ++seq;
    const order = wooOrder(id, skus, `woo-chf-${id}@example.com`);
    woo.addOrder(order);
    const d = wooWebhookDelivery('order.created', order, WOO_SECRET, { deliveryId: `chf-${id}` });
    const res = await fetch(`${running.url}/webhooks/woocommerce`, { method: 'POST', headers: d.headers, body: d.rawBody });
    expect(res.status).toBe(200);
    await settleOutbox(running);
    return { orderId: await orderIdOf('woocommerce', String(id)), wooId: id };
  }

  it('a Shopify order, once labelled, is one fulfilment there with the tracking, even when the event comes twice', async () => {
    const { orderId, externalId } = await shopifyOrderIn();
    const { shipments } = await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    expect(shipments).toHaveLength(1);
    await settleOutbox(running);
    await redeliver(orderId);
    await settleOutbox(running);

    const created = shop.fulfillments.filter((f) => f.orderId === externalId);
    expect(created).toHaveLength(1);
    expect(created[0]!.trackingInfo.number).toBe(shipments[0]!.trackingNumber);
    // The sandbox carrier has no public page of its own: the storefront links to the order's signed one here.
    expect(created[0]!.trackingInfo.url).toBe(notificationLinks(running.url, SIGNING_SECRET).trackingPage(orderId));
    expect(created[0]!.notifyCustomer).toBe(true);
    expect(created[0]!.lineItems).toEqual([{ id: expect.stringMatching(/LineItem\/14203311001$/), quantity: 2 }]);
    expect(shop.requests.filter((r) => r.rootField === 'fulfillmentCreate' && r.body.variables.fulfillment.trackingInfo.number === shipments[0]!.trackingNumber)).toHaveLength(1);
    expect(await pushRow(orderId)).toEqual([{ status: 'pushed', attempts: 1, last_error: null, external_fulfilment_id: created[0]!.id }]);
    // Ops and the agent see it on the order.
    const view = (await (await fetch(`${running.url}/api/orders/${encodeURIComponent(orderId)}`)).json()) as { order: { shipments: { channel_fulfilment?: unknown }[] } };
    expect(view.order.shipments[0]!.channel_fulfilment).toMatchObject({ status: 'pushed', attempts: 1, last_error: null });
    const details = (await getOrderDetails.run({ order_id: orderId }, { db: ctx.db, config: testAppConfig('chf-tool'), actor, persona: 'ops' })) as { shipments: { channel_fulfilment?: unknown }[] };
    expect(details.shipments[0]!.channel_fulfilment).toMatchObject({ status: 'pushed' });
  });

  it('a slow store call holds no database connection: another query completes while Shopify has not answered', async () => {
    const { orderId, externalId } = await shopifyOrderIn();
    const slow = shop.hold('fulfillmentCreate');
    await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    const events: string[] = [];
    const settled = settleOutbox(running);
    await slow.arrived;
    await ctx.db.query('SELECT 1');
    events.push('query answered');
    events.push('store answers');
    slow.release();
    await settled;
    expect(events).toEqual(['query answered', 'store answers']);
    expect(shop.fulfillments.filter((f) => f.orderId === externalId)).toHaveLength(1);
    expect((await pushRow(orderId)).map((r) => r.status)).toEqual(['pushed']);
  });

  it('a WooCommerce order, once labelled, gets one customer note with the tracking and is completed', async () => {
    const { orderId, wooId } = await wooOrderIn();
    const { shipments } = await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    await settleOutbox(running);
    await redeliver(orderId);
    await settleOutbox(running);

    const notes = woo.notes.get(wooId) ?? [];
    expect(notes).toHaveLength(1);
    expect(notes[0]!.customer_note).toBe(true);
    expect(notes[0]!.note).toContain(shipments[0]!.trackingNumber!);
    expect(woo.orders.get(wooId)!.status).toBe('completed');
    expect(woo.calls.filter((c) => c.method === 'POST' && c.path === `/orders/${wooId}/notes`)).toHaveLength(1);
    expect((await pushRow(orderId))[0]).toMatchObject({ status: 'pushed', attempts: 1 });
  });

  it('an order shipped as two parcels gets a note per parcel and is completed only by the last', async () => {
    const { orderId, wooId } = await wooOrderIn(['CHF-C', 'CHF-D']);
    const { shipments } = await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    expect(shipments).toHaveLength(2);
    await settleOutbox(running);

    const notes = woo.notes.get(wooId) ?? [];
    expect(notes).toHaveLength(2);
    for (const s of shipments) expect(notes.filter((n) => n.note.includes(s.trackingNumber!))).toHaveLength(1);
    expect(woo.orders.get(wooId)!.status).toBe('completed');
    expect(woo.calls.filter((c) => c.method === 'PUT' && c.path === `/orders/${wooId}`)).toHaveLength(1);
    expect((await pushRow(orderId)).map((r) => r.status)).toEqual(['pushed', 'pushed']);
  });

  it('a store answering 500 is retried by the outbox until it recovers, and then pushed once', async () => {
    const { orderId, wooId } = await wooOrderIn();
    let failing = true;
    woo.fail((c) => failing && c.path.startsWith(`/orders/${wooId}`), { status: 500, body: { code: 'internal_server_error', message: 'down' } }, 1_000);
    await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    await settleOutbox(running);
    const failed = await pushRow(orderId);
    expect(failed[0]).toMatchObject({ status: 'failed' });
    expect(failed[0]!.last_error).toMatch(/500|down/);
    const details = (await getOrderDetails.run({ order_id: orderId }, { db: ctx.db, config: testAppConfig('chf-tool'), actor, persona: 'ops' })) as { shipments: { channel_fulfilment?: unknown }[] };
    expect(details.shipments[0]!.channel_fulfilment).toMatchObject({ status: 'failed', pushed_at: null });
    expect(woo.notes.get(wooId) ?? []).toHaveLength(0);

    failing = false;
    // The app's own dispatcher takes the event again after its backoff.
    const until = Date.now() + 20_000;
    while ((await pushRow(orderId))[0]!.status !== 'pushed' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const pushed = (await pushRow(orderId))[0]!;
    expect(pushed.status).toBe('pushed');
    expect(pushed.attempts).toBeGreaterThan(1);
    expect(pushed.last_error).toBeNull();
    expect(woo.notes.get(wooId)).toHaveLength(1);
  });

  it('Shopify answering 429 is retried by the outbox until it lets calls through, and then fulfilled once', async () => {
    const { orderId, externalId } = await shopifyOrderIn();
    shop.rateLimit(1_000_000, 0);
    const { shipments } = await fulfilOrder(ctx.db, [sandbox], orderId, actor);
    await settleOutbox(running);
    const failed = (await pushRow(orderId))[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toMatch(/429|rate|Exceeded/i);
    expect(shop.fulfillments.filter((f) => f.orderId === externalId)).toHaveLength(0);

    shop.rateLimit(0);
    const until = Date.now() + 20_000;
    while ((await pushRow(orderId))[0]!.status !== 'pushed' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    // The push row is written inside the handler; the event is marked done only after it returns.
    await settleOutbox(running);
    expect((await pushRow(orderId))[0]).toMatchObject({ status: 'pushed', last_error: null });
    const created = shop.fulfillments.filter((f) => f.orderId === externalId);
    expect(created.map((f) => f.trackingInfo.number)).toEqual([shipments[0]!.trackingNumber]);
    // No event of it is left to run, and none went to the dead letters.
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = 'shipment.label_purchased' AND payload->>'orderId' = $1 AND (done_at IS NULL OR dead_at IS NOT NULL)`,
      [orderId],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('an order that came in over the API pushes nothing anywhere', async () => {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `chf-api-${ctx.backend}`,
        customer: { email: 'chf.api@example.com', first_name: 'Api', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'CHF-A', quantity: 1 }],
        payment: { method: 'card' },
      },
      actor,
    );
    const shopCalls = shop.requests.length;
    const wooCalls = woo.calls.length;
    const { shipments } = await fulfilOrder(ctx.db, [sandbox], order.id, actor);
    expect(shipments[0]!.trackingNumber).toBeTruthy();
    await settleOutbox(running);
    expect(shop.requests.length).toBe(shopCalls);
    expect(woo.calls.length).toBe(wooCalls);
    expect(await pushRow(order.id)).toEqual([]);
  });
});
