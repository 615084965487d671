import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { signSandboxWebhook } from '../../src/connectors/carriers/sandbox-webhook-signature.js';
import { loadConfig } from '../../src/config/config.js';
import { receiveStock } from '../../src/domain/inventory/receive-stock.js';
import { releaseOrder } from '../../src/domain/orders/release-order.js';
import { progressOf } from '../../src/domain/shipping/shipment-status.js';
import { APP_EXTENSIONS } from '../../src/server/app-extensions.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { describeEachDb } from '../support/test-db.js';

const SECRET = 'whsec-fulfilment-e2e';
const HOUR = 3_600_000;

interface ShipmentView {
  id: number;
  location_id: string;
  carrier_account: string;
  carrier: string;
  service: string;
  tracking_number: string | null;
  status: string;
  promised_at: string | null;
  label_url: string | null;
  events: { status: string; occurred_at: string }[];
}
interface OrderView {
  id: string;
  status: string;
  promised_delivery_at: string | null;
  lines: { location_id: string | null }[];
  shipments: ShipmentView[];
}

// The fulfilment flow as `npm start` runs it: order in over the API → routed and reserved →
// relayed to the automatic fulfilment → label from the sandbox carrier → signed carrier webhooks
// in and out of order through the public door → the order delivered.
describeEachDb('fulfilment through the running service', (ctx) => {
  let running: RunningApp;
  let clock = new Date();
  const store = new MemorySandboxLabelStore();
  const sandbox = new SandboxCarrier({ clock: () => clock, store, webhookSecret: SECRET });

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-e2e', [
      { sku: 'E2E-TEE', price: '30.00', stock: { 'loc-east-wh': 20 } },
      { sku: 'E2E-BACK', price: '30.00', stock: { 'loc-east-wh': 1 } },
    ]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 350, length_mm = 300, width_mm = 250, height_mm = 30 WHERE id LIKE 'v-E2E-%'`);
    await ctx.db.query(`UPDATE variants SET backorder_policy = 'allow' WHERE id = 'v-E2E-BACK'`);
    await seedShippingLocations(ctx.db);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      SMTP_PORT: '0',
      SEED_DEMO: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-fulfil-')),
      SANDBOX_CARRIER_WEBHOOK_SECRET: SECRET,
    });
    running = await startApp(config, { db: ctx.db, extensions: APP_EXTENSIONS, carriers: [sandbox], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const getOrder = async (id: string) =>
    ((await (await fetch(`${running.url}/api/orders/${encodeURIComponent(id)}`)).json()) as { order: OrderView }).order;
  /** An order in over the API to Albany, NY; its id. */
  async function placeOrder(externalId: string, customer: Record<string, string>, lines: { sku: string; quantity: number }[], client?: Record<string, string>) {
    const res = await fetch(`${running.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'shopify',
        external_id: externalId,
        customer,
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines,
        payment: { method: 'card' },
        ...(client ? { client } : {}),
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { order: { id: string } }).order.id;
  }
  const webhook = (w: { headers: Record<string, string>; rawBody: Buffer }) =>
    fetch(`${running.url}/webhooks/carriers/sandbox`, { method: 'POST', headers: w.headers, body: w.rawBody });

  it('takes an order from the API to delivered, buying one label and never moving the shipment backwards', async () => {
    const res = await fetch(`${running.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'shopify',
        external_id: `e2e-${ctx.backend}`,
        customer: { email: 'e2e.buyer@example.com', first_name: 'Eve', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'E2E-TEE', quantity: 2 }],
        payment: { method: 'card' },
        client: { browser_ip: '203.0.113.9', device_id: 'dev-e2e', account_created_at: '2020-01-01T00:00:00Z' },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = ((await res.json()) as { order: { id: string } }).order;

    // Routed: every line knows where it ships from, and the shipment ships from there.
    await settleOutbox(running);
    const labelled = await getOrder(id);
    expect(labelled.shipments[0]?.tracking_number).toBeTruthy();
    expect(labelled.lines.every((l) => l.location_id === 'loc-east-wh')).toBe(true);
    // ...and why: the stored decision names its winner, the candidates it weighed and the promise.
    const routed = (await (await fetch(`${running.url}/api/orders/${encodeURIComponent(id)}/routing`)).json()) as {
      decisions: { trigger: string; explanation: { winner: { locations: string[]; why: string }; candidates: { locationId: string }[]; estimated: boolean; promisedDeliveryAt: string | null }; text: string[] }[];
    };
    expect(routed.decisions).toHaveLength(1);
    const decision = routed.decisions[0]!;
    expect(decision.trigger).toBe('created');
    expect(decision.explanation.winner.locations).toEqual(['loc-east-wh']);
    expect(decision.explanation.winner.why).not.toBe('');
    expect(decision.explanation.candidates).toContainEqual(expect.objectContaining({ locationId: 'loc-east-wh' }));
    // Costs and transit came from the configured carrier (the sandbox), not the rate card.
    expect(decision.explanation.estimated).toBe(false);
    expect(labelled.promised_delivery_at).not.toBeNull();
    expect(new Date(decision.explanation.promisedDeliveryAt!).getTime()).toBe(new Date(labelled.promised_delivery_at!).getTime());
    expect(decision.text.join('\n')).toMatch(/Newark warehouse|loc-east-wh/);
    expect(labelled.status).toBe('processed');
    expect(labelled.shipments).toHaveLength(1);
    const s = labelled.shipments[0]!;
    expect(s).toMatchObject({ location_id: 'loc-east-wh', carrier_account: 'sandbox', carrier: 'sandbox', status: 'pre_transit', promised_at: labelled.promised_delivery_at });
    expect(s.service).toMatch(/^Sandbox /);
    expect(await store.all()).toHaveLength(1);

    const label = await fetch(`${running.url}${s.label_url}`);
    expect(label.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await label.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // A second fulfil buys nothing and answers the same shipment.
    const again = await fetch(`${running.url}/api/orders/${encodeURIComponent(id)}/fulfil`, { method: 'POST' });
    expect(again.status).toBe(200);
    const second = (await again.json()) as { labels_bought: number; shipments: { tracking_number: string }[] };
    expect(second.labels_bought).toBe(0);
    expect(second.shipments.map((x) => x.tracking_number)).toEqual([s.tracking_number]);
    expect(await store.all()).toHaveLength(1);

    const tn = s.tracking_number!;
    const bought = new Date((await store.all())[0]!.purchasedAt).getTime();
    clock = new Date(bought + 8 * HOUR);
    const pickedUp = await sandbox.webhookFor(tn);
    expect((await webhook(pickedUp)).status).toBe(200);
    expect((await getOrder(id)).status).toBe('shipped');

    // A forged webhook claiming delivery changes nothing.
    const forged = { headers: { 'content-type': 'application/json', ...signSandboxWebhook('not-the-secret', pickedUp.rawBody, clock.getTime()) }, rawBody: pickedUp.rawBody };
    expect((await webhook(forged)).status).toBe(401);

    clock = new Date(bought + 10 * 24 * HOUR);
    const delivered = await sandbox.webhookFor(tn);
    expect((await webhook(delivered)).status).toBe(200);
    // The earlier webhook delivered again, late and re-signed by the carrier: stored once, no step back.
    const late = { headers: { 'content-type': 'application/json', ...signSandboxWebhook(SECRET, pickedUp.rawBody, clock.getTime()) }, rawBody: pickedUp.rawBody };
    expect((await webhook(late)).status).toBe(200);
    expect((await webhook(delivered)).status).toBe(200);

    const final = await getOrder(id);
    expect(final.status).toBe('delivered');
    const shipment = final.shipments[0]!;
    expect(shipment.status).toBe('delivered');
    expect(shipment.events.map((e) => e.status)).toEqual(['pre_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);

    const { rows } = await ctx.db.query<{ payload: { from: string; to: string } }>(
      `SELECT payload FROM outbox WHERE topic = 'shipment.status_changed' AND (payload->>'shipmentId')::bigint = $1 ORDER BY id`,
      [shipment.id],
    );
    const path = rows.map((r) => r.payload.to);
    expect(path).toEqual(['in_transit', 'delivered']);
    for (const r of rows) expect(progressOf(r.payload.to)).toBeGreaterThan(progressOf(r.payload.from));

    const reservations = await ctx.db.query<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [id]);
    expect(reservations.rows.map((r) => r.status)).toEqual(['fulfilled']);
    const fulfil = await fetch(`${running.url}/api/orders/${encodeURIComponent(id)}/fulfil`, { method: 'POST' });
    expect(fulfil.status).toBe(200);
    expect(((await fulfil.json()) as { labels_bought: number }).labels_bought).toBe(0);
    expect(await store.all()).toHaveLength(1);
  });

  it('never labels a held order on its own, and labels it once a person releases it', async () => {
    const id = await placeOrder(
      `e2e-held-${ctx.backend}`,
      { email: 'e2e.burst@example.com', first_name: 'Bea', last_name: 'Burst' },
      [{ sku: 'E2E-TEE', quantity: 1 }],
      { browser_ip: '203.0.113.10', device_id: 'dev-burst', account_created_at: new Date(Date.now() - 5_000).toISOString() },
    );
    await settleOutbox(running);
    expect((await getOrder(id)).status).toBe('on_hold');
    expect((await getOrder(id)).shipments).toEqual([]);
    const sold = (await store.all()).length;

    await releaseOrder(ctx.db, { orderId: id, note: 'called the buyer' }, { kind: 'person', id: 'U_OPS' });
    await settleOutbox(running);
    const labelled = await getOrder(id);
    expect(labelled.shipments[0]?.tracking_number).toBeTruthy();
    expect(labelled.status).toBe('processed');
    expect(await store.all()).toHaveLength(sold + 1);
  });

  it('labels a backordered order on its own once the stock it waits for is received', async () => {
    const id = await placeOrder(`e2e-back-${ctx.backend}`, { email: 'e2e.back@example.com', first_name: 'Bo', last_name: 'Back' }, [
      { sku: 'E2E-BACK', quantity: 2 },
    ]);
    await settleOutbox(running);
    expect((await getOrder(id)).shipments).toEqual([]);

    await receiveStock(ctx.db, { sku: 'E2E-BACK', locationId: 'loc-east-wh', quantity: 1, reference: 'PO-E2E' }, { kind: 'person', id: 'U_OPS' });
    await settleOutbox(running);
    const labelled = await getOrder(id);
    expect(labelled.shipments).toHaveLength(1);
    expect(labelled.shipments[0]?.tracking_number).toBeTruthy();
    expect(labelled.status).toBe('processed');
  });

  it('with the in-process queue has bought the label by the time the order.created event is done', async () => {
    expect(running.queue.kind).toBe('in-process');
    const id = await placeOrder(`e2e-durable-${ctx.backend}`, { email: 'e2e.durable@example.com', first_name: 'Di', last_name: 'Durable' }, [
      { sku: 'E2E-TEE', quantity: 1 },
    ]);
    const createdDone = async () =>
      (await ctx.db.query<{ done: boolean }>(
        `SELECT done_at IS NOT NULL AS done FROM outbox WHERE topic = 'order.created' AND payload->>'orderId' = $1`,
        [id],
      )).rows[0]?.done === true;
    // The outbox only (no queue drain): a restart after the event is done must not lose the label.
    for (let i = 0; i < 500 && !(await createdDone()); i++) {
      await running.outbox!.runDue();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await createdDone()).toBe(true);
    expect((await getOrder(id)).shipments[0]?.tracking_number).toBeTruthy();
  });

  it('answers 404 for an unknown order and 409 with the reason for one it cannot fulfil', async () => {
    const unknown = await fetch(`${running.url}/api/orders/nope/fulfil`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    await ctx.db.query(
      `INSERT INTO orders (id, customer_id, external_id, status, address1, city, state, country, zip)
       SELECT 'e2e-cancelled', id, 'e2e-cancelled', 'cancelled', '1 Main St', 'Albany', 'NY', 'USA', '12207' FROM customers LIMIT 1`,
    );
    await ctx.db.query(
      `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, price, quantity, location_id)
       VALUES ('e2e-cancelled', 0, 'p-e2e', 'v-E2E-TEE', 'Tee', 30, 1, 'loc-east-wh')`,
    );
    const refused = await fetch(`${running.url}/api/orders/e2e-cancelled/fulfil`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toBe('order e2e-cancelled is cancelled and cannot be fulfilled');
  });
});
