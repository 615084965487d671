import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { cancelAndRefundOrder } from '../../src/domain/orders/cancel-and-refund-order.js';
import { updatePreferences } from '../../src/notifications/consent/notification-preferences.js';
import { triggersFromOutbox } from '../../src/notifications/notification-triggers.js';
import { createNotificationRenderer, type NotificationRenderer } from '../../src/notifications/render-notification.js';
import { MAX_RUN_ATTEMPTS, runDueNotifications, RUN_LEASE_MS } from '../../src/notifications/run-due-notifications.js';
import { replaceFileWorkflows } from '../../src/notifications/workflow-repository.js';
import { parseWorkflowsYaml } from '../../src/notifications/workflows-file.js';
import { describeEachDb } from '../support/test-db.js';
import { actor, HOUR, MINUTE, NotificationEngineFixture, STORE_TZ } from './notification-engine-fixture.js';

// The engine's own rules on workflows written for the test, with a template of its own.
const WORKFLOWS = `
settings:
  quiet_hours: { start: "21:00", end: "08:00", channels: [sms] }
workflows:
  - id: both_late
    name: Both channels, quiet hours kept
    trigger: shipment.delivered
    channel: both
    steps:
      - send: { template: note }
  - id: big_orders
    name: Only orders above 60
    trigger: order.confirmed
    conditions: [{ field: order.total, gt: 60 }]
    steps:
      - send: { template: note }
      - wait: 1h
      - stop: true
      - send: { template: note }
  - id: on_cancel
    name: Cancelled
    trigger: order.cancelled
    steps:
      - send: { template: note }
`;

function templateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nt-engine-'));
  mkdirSync(join(dir, 'templates', 'note'), { recursive: true });
  const parts = { subject: 'Note for {{ order.number }}', text: '{{ trigger }} {{ event.kind }} {{ customer.order_count }}', html: '<p>{{ trigger }}</p>', sms: '{{ trigger }} {{ order.number }}' };
  for (const [part, body] of Object.entries(parts)) writeFileSync(join(dir, 'templates', 'note', `${part}.liquid`), body);
  writeFileSync(join(dir, 'workflows.yaml'), WORKFLOWS);
  return dir;
}

/** A handle that counts the statements run through it, in and out of transactions. */
function counting(db: Db): { db: Db; count: () => number; reset: () => void } {
  let n = 0;
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    get inTransaction() {
      return inner.inTransaction;
    },
    query: (sql, params) => {
      n++;
      return inner.query(sql, params);
    },
    exec: (sql) => inner.exec(sql),
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    listen: (channel, handler, options) => inner.listen(channel, handler, options),
    close: () => inner.close(),
  });
  return { db: wrap(db), count: () => n, reset: () => (n = 0) };
}

describeEachDb('notification runs', (ctx) => {
  const dir = templateDir();
  const f = new NotificationEngineFixture(() => ctx.db, 'NR-TEE');
  const real = createNotificationRenderer(join(dir, 'templates'), { timezone: STORE_TZ });
  let failing = 0;
  const renderer: NotificationRenderer = {
    has: (t) => real.has(t),
    render: async (t, c) => {
      if (failing > 0) throw new Error('template store unreachable');
      return real.render(t, c);
    },
  };
  let who = 0;
  const customer = (extra: { phone?: string } = {}) => ({ email: `nr.buyer${++who}@example.com`, ...extra });

  it('sets up', async () => {
    await f.setUp({ workflowsFile: join(dir, 'workflows.yaml'), renderer });
  });

  it('a start condition keeps a workflow from starting; order_count counts this order and earlier ones', async () => {
    const c = customer();
    const small = await f.placeOrder(c, 1);
    await f.pump();
    expect(await f.runs(small.id)).toEqual([]);
    const big = await f.placeOrder(c, 3);
    await f.pump();
    const [m] = await f.messages(big.id);
    expect(m!.body_text).toBe('order.confirmed  2\n');
  });

  it('stop ends a run before the steps after it', async () => {
    const big = await f.placeOrder(customer(), 3);
    await f.pump();
    await f.tick(2 * HOUR);
    expect(await f.messages(big.id)).toHaveLength(1);
    const [run] = await f.runs(big.id);
    expect([run!.status, run!.outcome_detail]).toEqual(['done', 'stopped at 2']);
  });

  it('a send to both channels inside quiet hours sends the email now, the SMS at 08:00, each once', async () => {
    const order = await f.placeOrder(customer({ phone: '+1 518 555 0190' }));
    const s = await f.fulfil(order.id);
    await f.pump();
    f.clock.set('2026-03-03T02:30:00Z'); // 21:30 EST
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    expect((await f.messages(order.id)).map((m) => m.channel)).toEqual(['email']);
    await f.tick(11 * HOUR);
    const messages = await f.messages(order.id);
    expect(messages.map((m) => [m.channel, m.body_text.trim()])).toEqual([['email', 'shipment.delivered  1'], ['sms', `shipment.delivered ${order.id}`]]);
    expect(new Date(messages[1]!.created_at).getTime()).toBeGreaterThan(new Date(messages[0]!.created_at).getTime());
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'both_late')!.status).toBe('done');
  });

  it('a STOP from the phone suppresses the SMS but not the email', async () => {
    const order = await f.placeOrder(customer({ phone: '518 555 0191' }));
    await updatePreferences(ctx.db, order.customerId, { smsStopped: true }, actor);
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    const messages = await f.messages(order.id);
    expect(messages.map((m) => [m.channel, m.status, m.error])).toEqual([
      ['email', 'queued', null],
      ['sms', 'suppressed', 'the customer replied STOP to our texts'],
    ]);
  });

  it('a run that fails is retried with a growing pause, then marked failed', async () => {
    const order = await f.placeOrder(customer());
    failing = 1;
    try {
      await cancelAndRefundOrder(ctx.db, { orderId: order.id, reason: 'customer asked' }, actor);
      await f.pump();
      for (let i = 1; i < MAX_RUN_ATTEMPTS; i++) {
        const run = (await f.runs(order.id)).find((r) => r.workflow_id === 'on_cancel')!;
        expect([run.status, run.attempts, run.outcome_detail]).toEqual(['scheduled', i, `attempt ${i} failed: template store unreachable`]);
        await f.tick(run.due_at.getTime() - f.clock.now().getTime());
      }
      const run = (await f.runs(order.id)).find((r) => r.workflow_id === 'on_cancel')!;
      expect([run.status, run.outcome_detail]).toEqual(['failed', `failed after ${MAX_RUN_ATTEMPTS} attempts: template store unreachable`]);
      expect(await f.messages(order.id)).toEqual([]);
    } finally {
      failing = 0;
    }
  });

  it('a run left running by a crashed walker is taken over once its lease has run out', async () => {
    const order = await f.placeOrder(customer());
    await cancelAndRefundOrder(ctx.db, { orderId: order.id, reason: 'duplicate order' }, actor);
    // Plan without walking: the walker that claims it "crashes" before its first step.
    for (const t of await triggersFromOutbox(ctx.db, 'order.status_changed', { orderId: order.id, to: 'cancelled' })) {
      const { scheduleNotifications } = await import('../../src/notifications/schedule-notifications.js');
      await scheduleNotifications(f.deps, t);
    }
    await ctx.db.query(`UPDATE notification_runs SET status = 'running', lease_until = $2 WHERE order_id = $1`, [order.id, new Date(f.clock.now().getTime() + RUN_LEASE_MS).toISOString()]);
    expect(await runDueNotifications(f.deps)).toBe(0);
    await f.tick(RUN_LEASE_MS + 1);
    expect(await f.messages(order.id)).toHaveLength(1);
    await f.pump();
    await f.tick(HOUR);
    expect(await f.messages(order.id)).toHaveLength(1);
  });

  it('a run whose workflow was removed is cancelled', async () => {
    const big = await f.placeOrder(customer(), 3);
    await f.pump();
    const file = parseWorkflowsYaml(WORKFLOWS, () => true);
    await replaceFileWorkflows(ctx.db, file.workflows.filter((w) => w.id !== 'big_orders'), actor);
    try {
      await f.tick(2 * HOUR);
      const [run] = await f.runs(big.id);
      expect([run!.status, run!.outcome_detail]).toEqual(['cancelled', 'the workflow was removed']);
    } finally {
      await replaceFileWorkflows(ctx.db, file.workflows, actor);
    }
  });

  it('one send step is a handful of statements', async () => {
    const order = await f.placeOrder(customer());
    await cancelAndRefundOrder(ctx.db, { orderId: order.id, reason: 'changed mind' }, actor);
    const { scheduleNotifications } = await import('../../src/notifications/schedule-notifications.js');
    for (const t of await triggersFromOutbox(ctx.db, 'order.status_changed', { orderId: order.id, to: 'cancelled' })) await scheduleNotifications(f.deps, t);
    const counter = counting(ctx.db);
    expect(await runDueNotifications({ ...f.deps, db: counter.db })).toBe(1);
    expect(await f.messages(order.id)).toHaveLength(1);
    // claim, workflow, context (order, customer, scans), consent, the message and its event, the run.
    expect(counter.count()).toBeLessThanOrEqual(9);
  });
});

describeEachDb('notification triggers', (ctx) => {
  const f = new NotificationEngineFixture(() => ctx.db, 'NG-TEE');

  it('sets up', async () => {
    await f.setUp();
  });

  it('maps carrier scans: returns, damage, delays without a date, unknown problems', async () => {
    const order = await f.placeOrder({ email: 'ng.buyer@example.com' });
    const s = await f.fulfil(order.id);
    await f.scan(
      s,
      { status: 'in_transit', at: -5, detail: 'Shipment delayed: missed connection' },
      { status: 'exception', at: -4, detail: 'Package damaged, repackaged' },
      { status: 'exception', at: -3, detail: 'Held at customs' },
      { status: 'returned', at: -1, detail: 'Returned to sender' },
    );
    const { rows } = await ctx.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE topic = 'shipment.tracking_updated' AND payload->>'shipmentId' = $1 ORDER BY id DESC LIMIT 1`, [String(s.id)],
    );
    const triggers = await triggersFromOutbox(ctx.db, 'shipment.tracking_updated', rows[0]!.payload);
    const day = new Date(f.clock.now().getTime() - 5 * HOUR).toISOString().slice(0, 10);
    expect(triggers.map((t) => [t.trigger, t.dedupeKey, t.data.kind ?? null])).toEqual([
      ['shipment.delayed', `shipment:${s.id}:delayed:reported:${day}`, 'carrier_delay'],
      ['shipment.in_transit', `shipment:${s.id}:in_transit`, null],
      ['shipment.exception', `shipment:${s.id}:exception:damaged`, 'damaged'],
      ['shipment.exception', `shipment:${s.id}:exception:other`, 'other'],
      ['shipment.exception', `shipment:${s.id}:exception:returned_to_sender`, 'returned_to_sender'],
    ]);
    expect(triggers.every((t) => t.customerId === order.customerId && t.orderId === order.id && t.shipmentId === s.id)).toBe(true);
  });

  it('maps order and money events, and ignores what is not news', async () => {
    const order = await f.placeOrder({ email: 'ng.other@example.com' });
    await cancelAndRefundOrder(ctx.db, { orderId: order.id, reason: 'out of stock' }, actor);
    const { rows } = await ctx.db.query<{ topic: string; payload: Record<string, unknown> }>(
      `SELECT topic, payload FROM outbox WHERE payload->>'orderId' = $1 ORDER BY id`, [order.id],
    );
    const all = (await Promise.all(rows.map((r) => triggersFromOutbox(ctx.db, r.topic, r.payload)))).flat();
    // Cancelled by now: the order.created event confirms nothing any more.
    expect(all.map((t) => [t.trigger, t.dedupeKey, t.data.amount ?? null])).toEqual([
      ['refund.issued', `order:${order.id}:refund:1`, '25.00'],
      ['order.cancelled', `order:${order.id}:cancelled`, null],
    ]);
    expect(await triggersFromOutbox(ctx.db, 'inventory.movement', { orderId: order.id })).toEqual([]);
    expect(await triggersFromOutbox(ctx.db, 'order.created', { orderId: '#W0000000' })).toEqual([]);
  });
});
