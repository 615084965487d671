/**
 * Customer notifications under load: carrier events ("delivered" scans) applied to the ledger at
 * a steady concurrency, carried by the outbox through the notification workflows to an email
 * handed to a real local SMTP server and an SMS handed to the local Twilio server, as `npm start`
 * wires it (the notifications extension on startApp). Each customer asked for both channels, so
 * one event is one email and one SMS.
 *
 *   npm run bench:notify -- [--events 200] [--concurrency 4] [--backend pglite|postgres]
 *   env (postgres): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * On PostgreSQL it creates the scratch database orderops_bench_notify (dropped afterwards).
 * Latency of an event runs from the return of its tracking update's commit to the hand-off of
 * the later of its two messages (SMTP accepted the mail, Twilio created the message). Baseline
 * in the same run: the same email and SMS sent directly through the same mailer and SMS sender,
 * as many pairs at the same concurrency, with nothing of ours in between. The last line printed
 * is one JSON object.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOutboundMailer } from '../src/channels/email/outbound-mailer.js';
import { loadConfig } from '../src/config/config.js';
import { notificationsExtension } from '../src/config/notifications-extension.js';
import { MemorySandboxLabelStore } from '../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../src/connectors/carriers/sandbox-carrier.js';
import { createTwilioSmsSender } from '../src/connectors/sms/twilio/twilio-sms-sender.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { systemActor } from '../src/domain/actor.js';
import { createOrder } from '../src/domain/orders/create-order.js';
import { applyTrackingUpdates } from '../src/domain/shipping/apply-tracking-updates.js';
import { fulfilOrder } from '../src/domain/shipping/fulfil-order.js';
import { updatePreferences } from '../src/notifications/consent/notification-preferences.js';
import { startApp } from '../src/server/start-app.js';
import { startCaptureSmtpServer } from '../test/email/capture-smtp-server.js';
import { seedShippingLocations } from '../test/support/seed-shipping-locations.js';
import { seedTestCatalog } from '../test/support/seed-test-catalog.js';
import { TwilioWireServer } from '../test/support/twilio-wire-server.js';
import { adminQuery, withDatabase } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    backend: { type: 'string', default: 'pglite' },
  },
});
const positiveInt = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:notify: ${name} must be a positive whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const EVENTS = positiveInt('--events', args.events);
const CONCURRENCY = positiveInt('--concurrency', args.concurrency);
if (args.backend !== 'pglite' && args.backend !== 'postgres') {
  console.error(`bench:notify: --backend must be pglite or postgres, got "${args.backend}"`);
  process.exit(2);
}
const BACKEND = args.backend;
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRATCH = 'orderops_bench_notify';
const actor = systemActor('bench-notify');

/** Counts the statements run through a Db (and the ones that touch the notification tables). */
function countingDb(inner: Db, counts: { all: number; notification: number }): Db {
  const wrap = (db: Db): Db => ({
    get kind() {
      return db.kind;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    query: (sql, params) => {
      counts.all++;
      if (/notification_/.test(sql)) counts.notification++;
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    listen: (channel, handler, options) => db.listen(channel, handler, options),
    close: () => db.close(),
  });
  return wrap(inner);
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function openDb(): Promise<Db> {
  if (BACKEND === 'pglite') return createPgliteDb({ dataDir: mkdtempSync(join(tmpdir(), 'orderops-bench-notify-')) });
  await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
  await adminQuery(ADMIN_URL, `CREATE DATABASE ${SCRATCH}`);
  return createPostgresDb(withDatabase(ADMIN_URL, SCRATCH));
}

const raw = await openDb();
const counts = { all: 0, notification: 0 };
const db = countingDb(raw, counts);
const smtp = await startCaptureSmtpServer();
const twilio = new TwilioWireServer();
const twilioUrl = await twilio.start();
try {
  await migrate(raw);
  await seedTestCatalog(raw, 'p-bench-notify', [{ sku: 'BN-TEE', price: '25.00', stock: { 'loc-east-wh': EVENTS + 10 } }]);
  await raw.query(`UPDATE variants SET weight_grams = 300 WHERE id = 'v-BN-TEE'`);
  await seedShippingLocations(raw);
  const sandbox = new SandboxCarrier({ store: new MemorySandboxLabelStore() });

  // The ledger before the run: one labelled order per event, each customer on email and SMS.
  const parcels: { orderId: string; trackingNumber: string }[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const { order } = await createOrder(
      raw,
      {
        channel: 'api',
        external_id: `bench-notify-${i}`,
        customer: { email: `bench.${i}@example.com`, first_name: 'Bench', last_name: `Buyer ${i}`, phone: `+1518555${String(1000 + i).padStart(4, '0')}` },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'BN-TEE', quantity: 1 }],
        payment: { method: 'card' },
      },
      actor,
    );
    const { shipments } = await fulfilOrder(raw, [sandbox], order.id, actor, {});
    await updatePreferences(raw, order.customerId, { patch: { channel: 'both' } }, actor);
    parcels.push({ orderId: order.id, trackingNumber: shipments[0]!.trackingNumber! });
  }
  // Setting up is not the measurement: its events (confirmations, shipped) are marked handled.
  await raw.query('UPDATE outbox SET done_at = now() WHERE done_at IS NULL');

  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    PORT: '0',
    SMTP_PORT: '0',
    SEED_DEMO: 'false',
    AUTO_FULFIL: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-bench-notify-data-')),
    SMTP_URL: smtp.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: twilioUrl,
    STORE_TIMEZONE: 'UTC',
  });
  // Quiet hours hold SMS overnight; the benchmark measures the path, not the hour it runs at.
  const clockNoon = { now: () => new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`) };
  const running = await startApp(config, { db, extensions: [notificationsExtension({ clock: clockNoon, sweepEveryMs: 0, promiseCheckEveryMs: 0 })], log: () => {} });

  const committedAt = new Map<string, number>();
  counts.all = 0;
  counts.notification = 0;
  const startedAt = performance.now();
  await pool(parcels, CONCURRENCY, async (p) => {
    await applyTrackingUpdates(db, 'sandbox', [{
      trackingNumber: p.trackingNumber,
      carrier: 'sandbox',
      events: [{ trackingNumber: p.trackingNumber, status: 'delivered', occurredAt: new Date(), detail: 'Delivered', location: 'Albany, NY', eventKey: `${p.trackingNumber}:bench:delivered`, expectedDeliveryAt: null }],
    }], { kind: 'webhook', id: 'sandbox' });
    committedAt.set(p.orderId, performance.now());
  });
  const deadline = Date.now() + 300_000;
  const delivered = () => smtp.messages.filter((m) => m.parsed.subject?.includes('delivered')).length + twilio.messages.filter((m) => m.body.includes('delivered')).length;
  while (delivered() < 2 * EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const done = delivered();
  const statements = { ...counts };
  await running.stop();
  if (done < 2 * EVENTS) throw new Error(`only ${done} of ${2 * EVENTS} messages arrived within 5 minutes`);

  const latencies: number[] = [];
  let last = 0;
  for (const p of parcels) {
    const mail = smtp.messages.find((m) => m.parsed.subject?.includes(p.orderId) && m.parsed.subject.includes('delivered'))!;
    const sms = twilio.messages.find((m) => m.body.includes(p.orderId) && m.body.includes('delivered'))!;
    const handedOff = Math.max(mail.receivedAt, sms.receivedAt);
    last = Math.max(last, handedOff);
    latencies.push(handedOff - committedAt.get(p.orderId)!);
  }
  latencies.sort((a, b) => a - b);
  const seconds = (last - startedAt) / 1000;

  // Baseline: the same pairs straight through the same mailer and SMS sender.
  const mailer = createOutboundMailer({ SMTP_URL: smtp.url, DATA_DIR: config.DATA_DIR });
  const sender = createTwilioSmsSender({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', apiUrl: twilioUrl });
  const baseStart = performance.now();
  await pool(parcels, CONCURRENCY, async (p) => {
    await mailer.send({ from: { name: 'Bench', address: 'support@orderops.local' }, to: `base.${p.orderId.slice(2)}@example.com`, subject: `Baseline ${p.orderId}`, text: 'Your order has been delivered.\n', messageId: `<base-${p.orderId.slice(2)}@orderops.local>`, inReplyTo: null, references: [], headers: {} });
    await sender.send({ to: '+15185559999', body: `Baseline ${p.orderId} delivered`, idempotencyKey: `base:${p.orderId}` });
  });
  const baseSeconds = (performance.now() - baseStart) / 1000;
  await mailer.close();

  const result = {
    bench: 'notify',
    backend: BACKEND,
    events: EVENTS,
    concurrency: CONCURRENCY,
    messages: done,
    events_per_s: Number((EVENTS / seconds).toFixed(1)),
    p50_ms: Math.round(percentile(latencies, 50)),
    p95_ms: Math.round(percentile(latencies, 95)),
    max_ms: Math.round(latencies.at(-1)!),
    baseline_pairs_per_s: Number((EVENTS / baseSeconds).toFixed(1)),
    ratio_to_baseline: Number((EVENTS / seconds / (EVENTS / baseSeconds)).toFixed(3)),
    statements_per_event: Number((statements.all / EVENTS).toFixed(1)),
    notification_statements_per_event: Number((statements.notification / EVENTS).toFixed(1)),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`,
  };
  console.log(`events/s ${result.events_per_s} (baseline pairs/s ${result.baseline_pairs_per_s}, ratio ${result.ratio_to_baseline}); event → hand-off p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms; ${result.statements_per_event} statements per event (${result.notification_statements_per_event} on notification tables)`);
  console.log(JSON.stringify(result));
} finally {
  await smtp.close();
  await twilio.stop();
  await raw.close();
  if (BACKEND === 'postgres') await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${SCRATCH}`);
}
