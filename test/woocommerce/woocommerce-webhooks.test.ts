import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anomalyExtension } from '../../src/anomaly/anomaly-extension.js';
import { systemActor } from '../../src/domain/actor.js';
import { recordMovement } from '../../src/domain/inventory/record-movement.js';
import { transitionOrder } from '../../src/domain/orders/order-state-machine.js';
import { wooCommerceExtension } from '../../src/connectors/storefronts/woocommerce/woocommerce-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { wooWebhookDelivery, wooWebhookPing, type WooDelivery } from '../support/woocommerce-webhook.js';
import { wooOrder } from './woo-order-fixture.js';

// Every character wp_specialchars_decode touches, raw, and one already entity-encoded as
// WordPress may hold it: WooCommerce keys the HMAC with `wh&sec<"ret'>&1`.
const SECRET = `wh&sec<"ret'>&amp;1`;

describeEachDb('WooCommerce webhooks at POST /webhooks/woocommerce', (ctx) => {
  let running: RunningApp;
  let nextId = 5000;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-woo', [
      { sku: 'WOO-SINGLE', price: '3.00', stock: { 'loc-west-wh': 100 } },
      { sku: 'Bar3', price: '12.00', stock: { 'loc-west-wh': 100 } },
    ]);
    const config = testAppConfig('woo-hooks', { WOOCOMMERCE_WEBHOOK_SECRET: SECRET, AUTO_FULFIL: 'false' });
    running = await startApp(config, { db: ctx.db, extensions: [anomalyExtension, wooCommerceExtension({ client: null })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const post = async (d: WooDelivery) => {
    const res = await fetch(`${running.url}/webhooks/woocommerce`, { method: 'POST', headers: d.headers, body: d.rawBody });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const count = async (sql: string, params: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const ordersOf = (externalId: string) =>
    count(`SELECT count(*)::int AS n FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [externalId]);
  const deliveries = () => count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE channel = 'woocommerce'`);

  it('takes a signed order.created into the ledger as one order, and marks the delivery processed', async () => {
    const id = nextId++;
    const res = await post(wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET, { deliveryId: `d-${id}` }));
    expect(res).toEqual({ status: 200, body: { status: 'accepted' } });
    await settleOutbox(running);
    expect(await ordersOf(String(id))).toBe(1);
    const { rows } = await ctx.db.query<{ status: string; lines: number; email: string }>(
      `SELECT o.status, (SELECT sum(quantity)::int FROM order_lines l WHERE l.order_id = o.id) AS lines, c.email
         FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.channel = 'woocommerce' AND o.external_id = $1`,
      [String(id)],
    );
    expect(rows[0]).toMatchObject({ lines: 3, email: `buyer-${id}@example.com` });
    const delivery = await ctx.db.query<{ processed_at: unknown; last_error: string | null; topic: string }>(
      `SELECT processed_at, last_error, topic FROM webhook_deliveries WHERE channel = 'woocommerce' AND delivery_id LIKE $1`,
      [`d-${id}:%`],
    );
    expect(delivery.rows[0]).toMatchObject({ last_error: null, topic: 'order.created' });
    expect(delivery.rows[0]!.processed_at).not.toBeNull();
  });

  it('the same delivery ten times makes one order and one stored delivery', async () => {
    const id = nextId++;
    const d = wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET, { deliveryId: `d-${id}` });
    const before = await deliveries();
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await post(d)).body.status);
    await settleOutbox(running);
    expect(answers).toEqual(['accepted', ...Array(9).fill('duplicate')]);
    expect(await ordersOf(String(id))).toBe(1);
    expect(await deliveries()).toBe(before + 1);
  });

  it('two orders delivered in the same second under WooCommerce\'s shared delivery id are both taken in', async () => {
    const [a, b] = [nextId++, nextId++];
    const shared = 'same-second-hash';
    expect((await post(wooWebhookDelivery('order.created', wooOrder(a, ['WOO-SINGLE', 'Bar3']), SECRET, { deliveryId: shared }))).body.status).toBe('accepted');
    expect((await post(wooWebhookDelivery('order.created', wooOrder(b, ['WOO-SINGLE', 'Bar3']), SECRET, { deliveryId: shared }))).body.status).toBe('accepted');
    await settleOutbox(running);
    expect([await ordersOf(String(a)), await ordersOf(String(b))]).toEqual([1, 1]);
  });

  it('the same order sent again under a new delivery id (order.updated) is still one order', async () => {
    const id = nextId++;
    await post(wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET));
    await post(wooWebhookDelivery('order.updated', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET));
    await settleOutbox(running);
    expect(await ordersOf(String(id))).toBe(1);
  });

  it('refuses forged, altered and unsigned deliveries with 401 and stores nothing', async () => {
    const id = nextId++;
    const order = wooOrder(id, ['WOO-SINGLE', 'Bar3']);
    const before = await deliveries();
    const forged = wooWebhookDelivery('order.created', order, 'not-the-secret');
    const unsigned = wooWebhookDelivery('order.created', order, SECRET, { signature: null });
    const genuine = wooWebhookDelivery('order.created', order, SECRET);
    const altered = { headers: genuine.headers, rawBody: Buffer.from(genuine.rawBody.toString().replace('"quantity":2', '"quantity":20')) };
    for (const d of [forged, unsigned, altered]) {
      const res = await post(d);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('bad_signature');
    }
    await settleOutbox(running);
    expect(await deliveries()).toBe(before);
    expect(await ordersOf(String(id))).toBe(0);
  });

  it('verifies with the secret as WooCommerce decodes it, not as written', async () => {
    const id = nextId++;
    const order = wooOrder(id, ['WOO-SINGLE', 'Bar3']);
    const raw = Buffer.from(JSON.stringify(order));
    // Keyed with the undecoded secret, which is not what WooCommerce signs with.
    const undecoded = createHmac('sha256', SECRET).update(raw).digest('base64');
    expect((await post(wooWebhookDelivery('order.created', order, SECRET, { signature: undecoded }))).status).toBe(401);
    const asWooCommerce = createHmac('sha256', `wh&sec<"ret'>&1`).update(raw).digest('base64');
    expect((await post(wooWebhookDelivery('order.created', order, SECRET, { signature: asWooCommerce }))).status).toBe(200);
    await settleOutbox(running);
    expect(await ordersOf(String(id))).toBe(1);
  });

  it('answers the unsigned ping sent when a webhook is saved with 200 and stores nothing', async () => {
    const before = await deliveries();
    const res = await post(wooWebhookPing(31));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ignored');
    expect(await deliveries()).toBe(before);
  });

  it('answers malformed JSON and a bad field after a valid signature with 400 naming it, storing nothing', async () => {
    const id = nextId++;
    const before = await deliveries();
    const broken = await post(wooWebhookDelivery('order.created', null, SECRET, { rawBody: '{"id": 77, "line_items": [' }));
    expect(broken.status).toBe(400);
    expect(broken.body.issues).toEqual([expect.objectContaining({ path: '(body)' })]);

    const order = wooOrder(id, ['WOO-SINGLE', 'Bar3']);
    order.line_items[1].quantity = 'one';
    const badField = await post(wooWebhookDelivery('order.created', order, SECRET));
    expect(badField.status).toBe(400);
    expect(badField.body.issues.map((i: { path: string }) => i.path)).toEqual(['line_items.1.quantity']);

    const noDeliveryId = wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET);
    delete noDeliveryId.headers['x-wc-webhook-delivery-id'];
    const missing = await post(noDeliveryId);
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: { path: string }) => i.path)).toEqual(['X-WC-Webhook-Delivery-ID']);

    await settleOutbox(running);
    expect(await deliveries()).toBe(before);
    expect(await ordersOf(String(id))).toBe(0);
  });

  it('a cancellation in the store cancels the pending order here', async () => {
    const id = nextId++;
    await post(wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET));
    await settleOutbox(running);
    const cancelled = { ...wooOrder(id, ['WOO-SINGLE', 'Bar3']), status: 'cancelled' };
    expect((await post(wooWebhookDelivery('order.updated', cancelled, SECRET))).status).toBe(200);
    await settleOutbox(running);
    const { rows } = await ctx.db.query<{ status: string }>(`SELECT status FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [String(id)]);
    expect(rows[0]!.status).toBe('cancelled');
  });

  it('an order with a SKU we do not know enters the ledger held, with a flag, and the webhook answers 200', async () => {
    const id = nextId++;
    const res = await post(wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'NOT-IN-CATALOG']), SECRET));
    expect(res.status).toBe(200);
    await settleOutbox(running);
    const { rows } = await ctx.db.query<{ id: string; status: string }>(`SELECT id, status FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [String(id)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('on_hold');
    const flags = await ctx.db.query<{ rule: string; reasons: string[] }>(`SELECT rule, reasons FROM anomaly_flags WHERE subject_type = 'order' AND subject_id = $1`, [rows[0]!.id]);
    expect(flags.rows.map((f) => f.rule)).toContain('held_on_intake');
    expect(JSON.stringify(flags.rows)).toContain('NOT-IN-CATALOG');
  });

  it('a product.created delivery puts the product in the catalog with its WooCommerce id in the variant map', async () => {
    const product = { id: 4401, name: 'Woo Hoodie', slug: 'woo-hoodie', type: 'simple', status: 'publish', sku: 'WOO-HOODIE', price: '45.00', regular_price: '45.00', purchasable: true };
    expect((await post(wooWebhookDelivery('product.created', product, SECRET))).status).toBe(200);
    await settleOutbox(running);
    const { rows } = await ctx.db.query<{ sku: string; external_product_id: string; variant_id: string }>(
      `SELECT v.sku, cv.external_product_id, cv.variant_id FROM channel_variants cv JOIN variants v ON v.id = cv.variant_id
        WHERE cv.channel = 'woocommerce' AND cv.external_variant_id = '4401'`,
    );
    expect(rows).toEqual([{ sku: 'WOO-HOODIE', external_product_id: '4401', variant_id: expect.any(String) }]);
    await recordMovement(ctx.db, { variantId: rows[0]!.variant_id, locationId: 'loc-west-wh', quantity: 10, kind: 'receipt', reason: 'test stock', actor: systemActor('test') });

    // An order line that carries only the WooCommerce product id now finds the variant.
    const id = nextId++;
    const order = wooOrder(id, ['WOO-SINGLE', 'Bar3']);
    order.line_items[0] = { ...order.line_items[0], product_id: 4401, sku: '', subtotal: '90.00', total: '90.00', price: 45 };
    order.total = String(90 + 12 + 10 + 1.35);
    await post(wooWebhookDelivery('order.created', order, SECRET));
    await settleOutbox(running);
    const placed = await ctx.db.query<{ status: string; skus: string[] }>(
      `SELECT o.status, array(SELECT v.sku FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = o.id ORDER BY v.sku) AS skus
         FROM orders o WHERE o.channel = 'woocommerce' AND o.external_id = $1`,
      [String(id)],
    );
    expect(placed.rows[0]).toEqual({ status: 'pending', skus: ['Bar3', 'WOO-HOODIE'] });
  });

  it('a refund in the store after the order shipped raises a flag instead of cancelling it', async () => {
    const id = nextId++;
    await post(wooWebhookDelivery('order.created', wooOrder(id, ['WOO-SINGLE', 'Bar3']), SECRET));
    await settleOutbox(running);
    const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [String(id)]);
    const orderId = rows[0]!.id;
    for (const to of ['processed', 'shipped'] as const) await transitionOrder(ctx.db, orderId, { to, actor: systemActor('test'), reason: 'test' });
    expect((await post(wooWebhookDelivery('order.updated', { ...wooOrder(id, ['WOO-SINGLE', 'Bar3']), status: 'refunded' }, SECRET))).status).toBe(200);
    await settleOutbox(running);
    const after = await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
    expect(after.rows[0]!.status).toBe('shipped');
    const flags = await ctx.db.query<{ rule: string }>(`SELECT rule FROM anomaly_flags WHERE subject_type = 'order' AND subject_id = $1`, [orderId]);
    expect(flags.rows.map((f) => f.rule)).toContain('channel_cancelled_after_shipping');
  });

  it('an accepted delivery whose order cannot be taken in stays on the list with the reason, never silently dropped', async () => {
    const id = nextId++;
    const order = wooOrder(id, ['WOO-SINGLE', 'Bar3'], 'not-an-email');
    const d = wooWebhookDelivery('order.created', order, SECRET, { deliveryId: `d-bad-${id}` });
    expect((await post(d)).status).toBe(200);
    await settleOutbox(running);
    const { rows } = await ctx.db.query<{ processed_at: unknown; last_error: string; attempts: number }>(
      `SELECT processed_at, last_error, attempts FROM webhook_deliveries WHERE channel = 'woocommerce' AND delivery_id LIKE $1`,
      [`d-bad-${id}:%`],
    );
    expect(rows[0]!.processed_at).toBeNull();
    expect(rows[0]!.last_error).toMatch(/customer\.email/);
    expect(rows[0]!.attempts).toBeGreaterThan(0);
    expect(await ordersOf(String(id))).toBe(0);
  });
});
