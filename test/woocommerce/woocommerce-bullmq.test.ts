import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wooCommerceExtension } from '../../src/connectors/storefronts/woocommerce/woocommerce-extension.js';
import { purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { wooWebhookDelivery } from '../support/woocommerce-webhook.js';
import { wooOrder } from './woo-order-fixture.js';

const REDIS_URL = process.env.TEST_REDIS_URL;
const SECRET = 'bullmq-woo-secret';

describeEachDb('the WooCommerce webhook door on the BullMQ queue', (ctx) => {
  let running: RunningApp | undefined;
  const prefix = `oo-woo-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    if (!REDIS_URL) return;
    await seedTestCatalog(ctx.db, 'p-woo-bull', [
      { sku: 'WOO-BULL', price: '3.00', stock: { 'loc-west-wh': 100 } },
      { sku: 'WOO-BULL-2', price: '12.00', stock: { 'loc-west-wh': 100 } },
    ]);
    const config = testAppConfig('woo-bullmq', { WOOCOMMERCE_WEBHOOK_SECRET: SECRET, AUTO_FULFIL: 'false', REDIS_URL, QUEUE_PREFIX: prefix });
    running = await startApp(config, { db: ctx.db, extensions: [wooCommerceExtension({ client: null })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    if (REDIS_URL) await purgeBullmqPrefix(REDIS_URL, prefix).catch(() => undefined);
  });

  it.skipIf(!REDIS_URL)('a signed order.created is accepted and processed into one order', async () => {
    const id = 7100;
    const d = wooWebhookDelivery('order.created', wooOrder(id, ['WOO-BULL', 'WOO-BULL-2']), SECRET, { deliveryId: `d-${id}` });
    const res = await fetch(`${running!.url}/webhooks/woocommerce`, { method: 'POST', headers: d.headers, body: d.rawBody });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { status: 'accepted' } });
    let n = 0;
    for (let i = 0; i < 200 && n === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      n = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [String(id)])).rows[0]!.n;
    }
    expect(n).toBe(1);
  });
});
