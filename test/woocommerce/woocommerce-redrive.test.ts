import { afterAll, beforeAll, expect, it } from 'vitest';
import { WOOCOMMERCE_CHANNEL } from '../../src/connectors/storefronts/woocommerce/map-woocommerce-order.js';
import { wooCommerceExtension } from '../../src/connectors/storefronts/woocommerce/woocommerce-extension.js';
import { recordWebhookDelivery } from '../../src/domain/sales-channels/record-webhook-delivery.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { wooOrder } from './woo-order-fixture.js';

describeEachDb('WooCommerce deliveries stored but never processed (a restart lost the queue)', (ctx) => {
  let running: RunningApp | undefined;
  const id = 7300;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-woo-redrive', [
      { sku: 'WOO-REDRIVE', price: '3.00', stock: { 'loc-west-wh': 100 } },
      { sku: 'WOO-REDRIVE-2', price: '12.00', stock: { 'loc-west-wh': 100 } },
    ]);
    // What the door wrote before the process stopped: the delivery, but no job survives.
    await recordWebhookDelivery(ctx.db, { channel: WOOCOMMERCE_CHANNEL, deliveryId: `lost-${id}:abc`, topic: 'order.created', payload: wooOrder(id, ['WOO-REDRIVE', 'WOO-REDRIVE-2']) });
    const config = testAppConfig('woo-redrive', { WOOCOMMERCE_WEBHOOK_SECRET: 'redrive-secret', AUTO_FULFIL: 'false' });
    running = await startApp(config, { db: ctx.db, extensions: [wooCommerceExtension({ client: null })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('is queued again at start-up and processed into one order', async () => {
    const orders = async () =>
      (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE channel = 'woocommerce' AND external_id = $1`, [String(id)])).rows[0]!.n;
    for (let i = 0; i < 100 && (await orders()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await settleOutbox(running!);
    }
    expect(await orders()).toBe(1);
    const { rows } = await ctx.db.query<{ processed_at: unknown }>(`SELECT processed_at FROM webhook_deliveries WHERE channel = 'woocommerce' AND delivery_id = $1`, [`lost-${id}:abc`]);
    expect(rows[0]!.processed_at).not.toBeNull();
  });
});
