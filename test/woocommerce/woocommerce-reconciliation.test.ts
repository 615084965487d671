import { afterAll, beforeAll, expect, it } from 'vitest';
import { WooCommerceRestClient } from '../../src/connectors/storefronts/woocommerce/woocommerce-rest-client.js';
import { QUEUES } from '../../src/jobs/queue-names.js';
import { wooCommerceExtension } from '../../src/connectors/storefronts/woocommerce/woocommerce-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { WooCommerceWireServer } from '../support/woocommerce-wire-server.js';
import { wooWebhookDelivery } from '../support/woocommerce-webhook.js';
import { wooOrder } from './woo-order-fixture.js';

const KEY = 'ck_reconcile_0123456789';
const SECRET = 'cs_reconcile_0123456789';
const HOOK_SECRET = 'reconcile-hook-secret';

describeEachDb('WooCommerce reconciliation', (ctx) => {
  const store = new WooCommerceWireServer(KEY, SECRET);
  let running: RunningApp;

  beforeAll(async () => {
    const api = await store.start();
    await seedTestCatalog(ctx.db, 'p-woo-rec', [
      { sku: 'REC-SINGLE', price: '3.00', stock: { 'loc-west-wh': 100 } },
      { sku: 'REC-VAR', price: '12.00', stock: { 'loc-west-wh': 100 } },
    ]);
    const client = new WooCommerceRestClient({ url: api.replace(/\/wp-json\/wc\/v3$/, ''), consumerKey: KEY, consumerSecret: SECRET });
    const config = testAppConfig('woo-rec', { WOOCOMMERCE_WEBHOOK_SECRET: HOOK_SECRET, AUTO_FULFIL: 'false' });
    running = await startApp(config, { db: ctx.db, extensions: [wooCommerceExtension({ client })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await store.stop();
  });

  const runs = () =>
    ctx.db.query<{ caught: number; seen: number; caught_ids: string[]; error: string | null }>(
      `SELECT caught, seen, caught_ids, error FROM channel_reconciliation_runs WHERE channel = 'woocommerce' ORDER BY id`,
    );
  const reconcile = async (slot: string) => {
    await running.queue.enqueue(QUEUES.woocommerceReconcile, {}, { jobId: slot, attempts: 1 });
    await settleOutbox(running);
  };

  it('takes in the order whose webhook never came (caught 1), and a second run catches nothing', async () => {
    const now = new Date().toISOString().slice(0, 19);
    const delivered = { ...wooOrder(801, ['REC-SINGLE', 'REC-VAR']), date_modified_gmt: now };
    const missed = { ...wooOrder(802, ['REC-SINGLE', 'REC-VAR']), date_modified_gmt: now };
    store.addOrder(delivered);
    store.addOrder(missed);
    const hook = wooWebhookDelivery('order.created', delivered, HOOK_SECRET);
    const res = await fetch(`${running.url}/webhooks/woocommerce`, { method: 'POST', headers: hook.headers, body: hook.rawBody });
    expect(res.status).toBe(200);
    await settleOutbox(running);

    await reconcile('rec-1');
    await reconcile('rec-2');
    const { rows } = await runs();
    expect(rows).toEqual([
      { caught: 1, seen: 2, caught_ids: ['802'], error: null },
      expect.objectContaining({ caught: 0, error: null }),
    ]);
    const orders = await ctx.db.query<{ external_id: string }>(`SELECT external_id FROM orders WHERE channel = 'woocommerce' ORDER BY external_id`);
    expect(orders.rows.map((r) => r.external_id)).toEqual(['801', '802']);
    // Every listing call was signed and accepted.
    expect(store.authFailures).toEqual([]);
    expect(store.calls.filter((c) => c.path === '/orders').every((c) => c.query.has('modified_after'))).toBe(true);
  });
});
