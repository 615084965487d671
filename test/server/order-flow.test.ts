import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { APP_EXTENSIONS } from '../../src/server/app-extensions.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { describeEachDb } from '../support/test-db.js';

const order = (externalId: string, email: string, accountCreatedAt: string) => ({
  channel: 'shopify',
  external_id: externalId,
  customer: { email, first_name: 'Flow', last_name: 'Tester' },
  shipping_address: { address1: '1 Main St', city: 'Newark', state: 'NJ', country: 'USA', zip: '07102' },
  lines: [{ sku: 'FLOW-TEE', quantity: 1 }],
  payment: { method: 'card' },
  client: { browser_ip: '203.0.113.9', device_id: `dev-${externalId}`, account_created_at: accountCreatedAt },
});

// The whole order-in flow as `npm start` runs it: API → ledger + outbox → relay → anomaly
// scoring → hold through the state machine → alert.
describeEachDb('order flow through the running service', (ctx) => {
  let running: RunningApp;
  const lines: string[] = [];
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-flow', [{ sku: 'FLOW-TEE', price: '30.00', stock: { 'loc-east-wh': 20 } }]);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      SMTP_PORT: '0',
      SEED_DEMO: 'false',
      // This flow is about scoring and holds; fulfilment has its own (test/shipping/fulfilment.e2e.test.ts).
      AUTO_FULFIL: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-flow-')),
    });
    running = await startApp(config, { db: ctx.db, extensions: APP_EXTENSIONS, log: (l) => lines.push(l) });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const post = (body: unknown) =>
    fetch(`${running.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const statusOf = async (id: string) =>
    ((await (await fetch(`${running.url}/api/orders/${encodeURIComponent(id)}`)).json()) as { order: { status: string } }).order.status;

  it('holds an order bought seconds after its account was made, and alerts with the reasons', async () => {
    const res = await post(order('flow-burst', 'burst@example.com', new Date(Date.now() - 5_000).toISOString()));
    expect(res.status).toBe(201);
    const { id } = ((await res.json()) as { order: { id: string } }).order;
    await settleOutbox(running);
    expect(await statusOf(id)).toBe('on_hold');
    const flags = await ctx.db.query<{ rule: string; status: string }>(
      `SELECT rule, status FROM anomaly_flags WHERE subject_type = 'order' AND subject_id = $1`,
      [id],
    );
    expect(flags.rows).toEqual([{ rule: 'order_risk', status: 'open' }]);
    const events = await ctx.db.query<{ to_status: string }>('SELECT to_status FROM order_events WHERE order_id = $1 ORDER BY id', [id]);
    expect(events.rows.map((r) => r.to_status)).toEqual(['pending', 'on_hold']);
    expect(lines.some((l) => l.includes(id) && /after the account was created/.test(l))).toBe(true);
  });

  it('leaves an ordinary order from an old account pending', async () => {
    const res = await post(order('flow-normal', 'regular@example.com', '2020-01-01T00:00:00Z'));
    expect(res.status).toBe(201);
    const { id } = ((await res.json()) as { order: { id: string } }).order;
    await settleOutbox(running);
    const scored = await ctx.db.query('SELECT 1 FROM anomaly_order_scores WHERE order_id = $1', [id]);
    expect(scored.rows).toHaveLength(1);
    expect(await statusOf(id)).toBe('pending');
  });
});
