import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import type { NotificationsHandle } from '../../src/config/notifications-extension.js';
import { appExtensions } from '../../src/server/app-extensions.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { startCaptureSmtpServer, type CaptureSmtpServer, type CapturedMail } from '../email/capture-smtp-server.js';
import { morningTimeZone } from '../support/morning-time-zone.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { TwilioWireServer } from '../support/twilio-wire-server.js';

const SECRET = 'whsec-notifications-e2e';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PHONE = '(518) 555-0199';
const E164 = '+15185550199';

interface OrderView {
  id: string;
  customer_id: string;
  shipments: { id: number; tracking_number: string | null; status: string }[];
}

// Customers told before they ask, as `npm start` wires it: an order in over the API, its label
// from the sandbox carrier, signed carrier webhooks through the public door, and the customer
// receiving confirmed, shipped (with a tracking page that works), delayed and delivered by email
// over real SMTP and by SMS through the local Twilio server. The engine's clock is the carrier's,
// moved by whole days in a zone where the test starts in the morning, so quiet hours never apply.
describeEachDb('customer notifications through the running service', (ctx) => {
  let running: RunningApp;
  let smtp: CaptureSmtpServer;
  const twilio = new TwilioWireServer();
  const start = Date.now();
  let clock = new Date(start);
  const store = new MemorySandboxLabelStore();
  const sandbox = new SandboxCarrier({ clock: () => clock, store, webhookSecret: SECRET });
  let handle: NotificationsHandle | undefined;

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-nte2e', [{ sku: 'NTE2E-TEE', price: '30.00', stock: { 'loc-east-wh': 50 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 350, length_mm = 300, width_mm = 250, height_mm = 30 WHERE id LIKE 'v-NTE2E-%'`);
    await seedShippingLocations(ctx.db);
    smtp = await startCaptureSmtpServer();
    const twilioUrl = await twilio.start();
    const config = testAppConfig('notify-e2e', {
      SANDBOX_CARRIER_WEBHOOK_SECRET: SECRET,
      SMTP_URL: smtp.url,
      STORE_TIMEZONE: morningTimeZone(clock),
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilioUrl,
    });
    const extensions = appExtensions({ notifications: { clock: { now: () => clock }, sweepEveryMs: 0, promiseCheckEveryMs: 0, onReady: (h) => (handle = h) } });
    running = await startApp(config, { db: ctx.db, extensions, carriers: [sandbox], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await smtp?.close();
    await twilio.stop();
  });

  const api = async <T>(path: string, init?: { method: string; body: unknown }): Promise<T> => {
    const res = await fetch(`${running.url}${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined);
    expect(res.status, `${init?.method ?? 'GET'} ${path}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const placeOrder = async (externalId: string) =>
    (
      await api<{ order: OrderView }>('/api/orders', {
        method: 'POST',
        body: {
          channel: 'shopify',
          external_id: `${externalId}-${ctx.backend}`,
          customer: { email: `nora.${ctx.backend}@example.com`, first_name: 'Nora', last_name: 'Notified', phone: PHONE },
          // The sandbox carrier reads this line as a 48-hour delay at its hub.
          shipping_address: { address1: '1 Main St', address2: 'SANDBOX DELAY 48H', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
          lines: [{ sku: 'NTE2E-TEE', quantity: 1 }],
          payment: { method: 'card' },
          client: { browser_ip: '203.0.113.30', device_id: `dev-nte2e-${ctx.backend}`, account_created_at: '2020-01-01T00:00:00Z' },
        },
      })
    ).order;
  const getOrder = async (id: string) => (await api<{ order: OrderView }>(`/api/orders/${encodeURIComponent(id)}`)).order;
  /** Everything the committed changes set off, then the engine's sweep (waits that are over), then what that queued. */
  const settle = async () => {
    await settleOutbox(running);
    await handle!.sweep();
    await settleOutbox(running);
  };
  const carrierWebhook = async (trackingNumber: string) => {
    const w = await sandbox.webhookFor(trackingNumber);
    const res = await fetch(`${running.url}/webhooks/carriers/sandbox`, { method: 'POST', headers: w.headers, body: w.rawBody });
    expect(res.status).toBe(200);
  };
  const mailsFor = (orderId: string) => smtp.messages.filter((m) => m.parsed.subject?.includes(orderId));
  const textsFor = (orderId: string) => twilio.messages.filter((m) => m.body.includes(orderId));
  const subjects = (mails: CapturedMail[]) => mails.map((m) => m.parsed.subject);

  it('tells the customer of every step by email and SMS, once each, with a tracking page that works', async () => {
    // A returning customer who asked for order updates by email and text.
    const first = await placeOrder('nte2e-first');
    await settle();
    await api(`/api/customers/${encodeURIComponent(first.customer_id)}/notification-preferences`, { method: 'PATCH', body: { channel: 'both' } });

    const order = await placeOrder('nte2e-second');
    expect(order.customer_id).toBe(first.customer_id);
    await settle();

    // Confirmed at once; the label is bought, but "shipped" waits ten minutes (a label voided at once tells nobody).
    expect(subjects(mailsFor(order.id))).toEqual([`We've got your order ${order.id}`]);
    expect(textsFor(order.id).map((t) => t.to)).toEqual([E164]);
    const labelled = await getOrder(order.id);
    const tn = labelled.shipments[0]!.tracking_number!;
    expect(tn).toBeTruthy();

    clock = new Date(start + 10 * MINUTE);
    await settle();
    const shipped = mailsFor(order.id).find((m) => m.parsed.subject === `Your order ${order.id} is on its way`)!;
    expect(shipped).toBeDefined();
    expect(shipped.parsed.text).toContain(tn);
    expect(shipped.headers['list-unsubscribe']?.[0]).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+>/);
    expect(shipped.headers['list-unsubscribe-post']).toEqual(['List-Unsubscribe=One-Click']);
    const trackingUrl = /(http:\/\/127\.0\.0\.1:\d+\/track\/[A-Za-z0-9_.-]+)/.exec(shipped.parsed.text ?? '')![1]!;
    const page = await fetch(trackingUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(tn);
    expect(html).toContain(order.id);
    expect(textsFor(order.id).at(-1)!.body).toContain(trackingUrl);

    // The parcel reaches the carrier's hub late: the delay is told once, in a returning customer's words.
    const label = (await store.all()).at(-1)!;
    expect(label.delayHours).toBe(48);
    const days = Math.ceil(label.transitDays + label.delayHours / 24);
    clock = new Date(start + Math.ceil(days / 2) * DAY + MINUTE);
    await carrierWebhook(tn);
    await settle();
    await carrierWebhook(tn);
    await settle();
    expect(subjects(mailsFor(order.id)).filter((s) => s?.includes('delayed'))).toEqual([`Order ${order.id} is delayed`]);

    // Out for delivery and delivered in one poll: only "delivered" is still news.
    clock = new Date(start + days * DAY + MINUTE);
    await carrierWebhook(tn);
    await settle();
    expect((await getOrder(order.id)).shipments[0]!.status).toBe('delivered');

    expect(subjects(mailsFor(order.id))).toEqual([
      `We've got your order ${order.id}`,
      `Your order ${order.id} is on its way`,
      `Order ${order.id} is delayed`,
      `Your order ${order.id} has been delivered`,
    ]);
    const texts = textsFor(order.id);
    expect(texts).toHaveLength(4);
    expect(texts.map((t) => t.body)).toEqual([
      expect.stringMatching(/is confirmed/),
      expect.stringMatching(/shipped/),
      expect.stringMatching(/is delayed/),
      expect.stringMatching(/was delivered/),
    ]);
    for (const t of texts) expect(t.body).toMatch(/STOP/);
    // Every mail went to the customer, from the store's support address, each with its own Message-ID.
    const mails = mailsFor(order.id);
    expect(new Set(mails.flatMap((m) => m.envelope.to))).toEqual(new Set([`nora.${ctx.backend}@example.com`]));
    expect(new Set(mails.map((m) => m.parsed.messageId)).size).toBe(4);

    // Twilio's delivery report, signed for the status callback it was given, marks the message delivered.
    const report = await twilio.sendStatusCallback(texts.at(-1)!.sid, 'delivered');
    expect(report.status).toBe(200);
    const listed = await api<{ notifications: { channel: string; template: string; status: string }[] }>(`/api/orders/${encodeURIComponent(order.id)}/notifications`);
    expect(listed.notifications.filter((n) => n.channel === 'sms').map((n) => [n.template, n.status])).toEqual([
      ['order-confirmed', 'sent'],
      ['shipped', 'sent'],
      ['delayed-repeat', 'sent'],
      ['delivered', 'delivered'],
    ]);

    // Events delivered again change nothing: no message twice.
    await carrierWebhook(tn);
    await settle();
    expect(mailsFor(order.id)).toHaveLength(4);
    expect(textsFor(order.id)).toHaveLength(4);
  });
});
