import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { updatePreferences } from '../../src/notifications/consent/notification-preferences.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { releaseOrder } from '../../src/domain/orders/release-order.js';
import { returnDeliveredOrderItems } from '../../src/domain/orders/return-delivered-order-items.js';
import { refundOrder } from '../../src/domain/payments/refund-order.js';
import { voidLabel } from '../../src/domain/shipping/void-label.js';
import { checkPassedPromises } from '../../src/notifications/check-passed-promises.js';
import { deliverNotificationMessage, RetryableDeliveryError } from '../../src/notifications/deliver-notification-message.js';
import { notificationMessageId } from '../../src/notifications/notification-message-id.js';
import { startCaptureSmtpServer } from '../email/capture-smtp-server.js';
import { createOutboundMailer } from '../../src/channels/email/outbound-mailer.js';
import { createOutboxSmsSender } from '../../src/notifications/outbox-sms-sender.js';
import { scheduleNotifications } from '../../src/notifications/schedule-notifications.js';
import { runDueNotifications } from '../../src/notifications/run-due-notifications.js';
import { setWorkflowPaused } from '../../src/notifications/workflow-repository.js';
import { describeEachDb } from '../support/test-db.js';
import { actor, HOUR, MINUTE, NotificationEngineFixture } from './notification-engine-fixture.js';

let who = 0;
const newCustomer = (extra: { phone?: string } = {}) => ({ email: `nt.buyer${++who}@example.com`, ...extra });

// Every default workflow of notifications/workflows.yaml with the real templates, on orders the
// domain services place, label and track, and on a clock the test moves.
describeEachDb('default notification workflows', (ctx) => {
  const f = new NotificationEngineFixture(() => ctx.db, 'NT-TEE');

  it('sets up', async () => {
    await f.setUp();
  });

  it('order confirmed: one email when the order is accepted', async () => {
    const order = await f.placeOrder(newCustomer());
    await f.pump();
    const messages = await f.messages(order.id);
    expect(messages.map((m) => [m.workflow_id, m.template, m.channel, m.status])).toEqual([['order_confirmed', 'order-confirmed', 'email', 'queued']]);
    expect(messages[0]!.recipient).toBe(`nt.buyer${who}@example.com`);
    expect(messages[0]!.subject).toContain(order.id);
    expect(messages[0]!.body_text).toContain('/track/');
  });

  it('order confirmed: a held order is confirmed when it is released, not before', async () => {
    const order = await f.placeOrder(newCustomer());
    await holdOrder(ctx.db, { orderId: order.id, reason: 'address check' }, actor);
    await f.pump();
    expect(await f.messages(order.id)).toEqual([]);
    await releaseOrder(ctx.db, { orderId: order.id }, actor);
    await f.pump();
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed']);
  });

  it('shipped: sent ten minutes after the label, with the carrier, tracking number and tracking page', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(9 * MINUTE);
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed']);
    await f.tick(1 * MINUTE);
    const shipped = (await f.messages(order.id)).find((m) => m.template === 'shipped')!;
    expect(shipped.body_text).toContain(s.trackingNumber!);
    expect(shipped.body_text).toMatch(/https:\/\/shop\.example\.test\/track\/\S+/);
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'shipped')!.status).toBe('done');
  });

  it('shipped: a label voided within the ten minutes tells the customer nothing', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await voidLabel(ctx.db, [f.sandbox], s.id, actor, { reason: 'wrong box' });
    await f.pump();
    await f.tick(10 * MINUTE);
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed']);
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'shipped')!.status).toBe('done');
  });

  it('stale: delivered before the shipped wait ends cancels the shipped message', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(5 * MINUTE);
    await f.scan(s, { status: 'in_transit', at: -0.05 }, { status: 'delivered' });
    await f.pump();
    await f.tick(10 * MINUTE);
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed', 'delivered']);
    const shipped = (await f.runs(order.id)).find((r) => r.workflow_id === 'shipped')!;
    expect(shipped.status).toBe('cancelled');
    expect(shipped.outcome_detail).toContain('shipment.delivered');
  });

  it('out for delivery, then delivered, each told once', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'in_transit' });
    await f.pump();
    await f.tick(HOUR);
    await f.scan(s, { status: 'out_for_delivery' });
    await f.pump();
    await f.tick(4 * HOUR);
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed', 'shipped', 'out-for-delivery', 'delivered']);
  });

  it('stale: out for delivery and delivered in one poll send only delivered', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'in_transit', at: -3 }, { status: 'out_for_delivery', at: -1 }, { status: 'delivered' });
    await f.pump();
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed', 'shipped', 'delivered']);
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'out_for_delivery')!.status).toBe('cancelled');
  });

  it('dedupe: the same carrier event delivered twice notifies once', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'delivered' });
    const { rows } = await ctx.db.query<{ topic: string; payload: Record<string, unknown> }>(
      `SELECT topic, payload FROM outbox WHERE topic = 'shipment.tracking_updated' AND payload->>'shipmentId' = $1`, [String(s.id)],
    );
    await f.pump();
    // The same event again (a redelivered outbox event), and the same happening from a second scan.
    const { handleNotificationEvent } = await import('../../src/notifications/handle-notification-event.js');
    await handleNotificationEvent(f.deps, rows[0]!.topic, rows[0]!.payload);
    await f.scan(s, { status: 'delivered', detail: 'Delivered, front door' });
    await f.pump();
    await f.tick(HOUR);
    expect((await f.messages(order.id)).filter((m) => m.template === 'delivered')).toHaveLength(1);
  });

  it('delayed: a first-time customer and a repeat customer get different words', async () => {
    const email = `nt.repeat${++who}@example.com`;
    const first = await f.placeOrder({ email });
    const sFirst = await f.fulfil(first.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(sFirst, { status: 'in_transit', detail: 'Delayed by severe weather at the hub' });
    await f.pump();
    const firstDelay = (await f.messages(first.id)).find((m) => m.workflow_id === 'delayed')!;
    expect(firstDelay.template).toBe('delayed-first-order');
    expect(firstDelay.body_text).toContain('severe weather');

    const again = await f.placeOrder({ email });
    const sAgain = await f.fulfil(again.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(sAgain, { status: 'in_transit', detail: 'Delayed by severe weather at the hub' });
    await f.pump();
    expect((await f.messages(again.id)).find((m) => m.workflow_id === 'delayed')!.template).toBe('delayed-repeat');
  });

  it('delayed: each later estimate is told once; an unchanged one is not news', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    const promised = order.promisedDeliveryAt!;
    const later = (days: number) => new Date(promised.getTime() + days * 24 * HOUR);
    await f.scan(s, { status: 'in_transit', expected: promised });
    await f.pump();
    await f.tick(HOUR);
    await f.scan(s, { status: 'in_transit', detail: 'Arrived at hub', expected: later(2) });
    await f.pump();
    await f.tick(HOUR);
    await f.scan(s, { status: 'in_transit', detail: 'Departed hub', expected: later(2) });
    await f.pump();
    await f.tick(HOUR);
    await f.scan(s, { status: 'in_transit', detail: 'Arrived at local facility', expected: later(3) });
    await f.pump();
    const runs = (await f.runs(order.id)).filter((r) => r.workflow_id === 'delayed');
    expect(runs.map((r) => r.dedupe_key)).toEqual([
      `shipment:${s.id}:delayed:${later(2).toISOString().slice(0, 10)}`,
      `shipment:${s.id}:delayed:${later(3).toISOString().slice(0, 10)}`,
    ]);
    expect((await f.messages(order.id)).filter((m) => m.workflow_id === 'delayed')).toHaveLength(2);
  });

  it('delayed: a passed promise is told once, however often it is checked', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'in_transit' });
    await f.pump();
    f.clock.set(new Date(order.promisedDeliveryAt!.getTime() + 2 * HOUR));
    expect((await checkPassedPromises(f.deps)).map((e) => e.orderId)).not.toContain(order.id); // the day has not ended
    await f.tick(24 * HOUR);
    for (let i = 0; i < 2; i++) {
      for (const e of await checkPassedPromises(f.deps)) await scheduleNotifications(f.deps, e);
      await runDueNotifications(f.deps);
    }
    const delays = (await f.messages(order.id)).filter((m) => m.workflow_id === 'delayed');
    expect(delays).toHaveLength(1);
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'delayed')!.dedupe_key).toBe(`shipment:${s.id}:delayed:promise_passed`);
    expect(await checkPassedPromises(f.deps)).toEqual(expect.not.arrayContaining([expect.objectContaining({ shipmentId: s.id })]));
  });

  /** An order whose parcel is out for delivery, and its out-for-delivery message, queued. */
  const outForDelivery = async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'out_for_delivery' });
    await f.pump();
    return { order, s, ofd: (await f.messages(order.id)).find((m) => m.workflow_id === 'out_for_delivery')! };
  };

  it('stale: an out-for-delivery message not yet sent when the parcel is delivered never goes', async () => {
    const { order, s, ofd } = await outForDelivery();
    expect(ofd.status).toBe('queued');
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'out_for_delivery')!.status).toBe('done');
    await f.tick(HOUR);
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    const after = await f.messages(order.id);
    expect(after.find((m) => m.id === ofd.id)!).toMatchObject({ status: 'suppressed', error: expect.stringMatching(/^stale: made stale by shipment.delivered/) });
    expect(after.find((m) => m.workflow_id === 'delivered')!.status).toBe('queued');
  });

  it('stale: an out-for-delivery mail whose first try met an SMTP outage never goes, and its record in the thread says so', async () => {
    const smtp = await startCaptureSmtpServer();
    const mailer = createOutboundMailer({ SMTP_URL: smtp.url, DATA_DIR: tmpdir() });
    try {
      const { order, s, ofd } = await outForDelivery();
      const delivery = {
        db: ctx.db,
        mailer,
        sms: createOutboxSmsSender(join(tmpdir(), `nt-sms-${process.pid}`)),
        fromAddress: f.deps.store.supportEmail,
        storeName: f.deps.store.name,
        statusCallbackUrl: () => undefined,
        links: f.deps.links,
      };
      smtp.pause();
      try {
        await expect(deliverNotificationMessage(delivery, ofd.id)).rejects.toBeInstanceOf(RetryableDeliveryError);
      } finally {
        smtp.resume();
      }
      const messageId = notificationMessageId((await ctx.db.query<{ k: string }>('SELECT idempotency_key AS k FROM notification_messages WHERE id = $1', [ofd.id])).rows[0]!.k, f.deps.store.supportEmail);
      const record = async () => (await ctx.db.query<{ outcome: string }>(`SELECT outcome FROM email_messages WHERE message_id = $1`, [messageId])).rows[0];
      expect(await record()).toEqual({ outcome: 'queued' });

      await f.scan(s, { status: 'delivered' });
      await f.pump();
      expect((await f.messages(order.id)).find((m) => m.id === ofd.id)!.status).toBe('suppressed');
      expect(await record()).toEqual({ outcome: 'suppressed' });
      expect(await deliverNotificationMessage(delivery, ofd.id)).toBe('skipped');
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it('delayed: a promise that passed weeks ago (an imported history) is not news', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    f.clock.set(new Date(order.promisedDeliveryAt!.getTime() + 15 * 24 * HOUR));
    expect(await checkPassedPromises(f.deps)).toEqual(expect.not.arrayContaining([expect.objectContaining({ shipmentId: s.id })]));
    f.clock.set(new Date(order.promisedDeliveryAt!.getTime() + 2 * 24 * HOUR));
    expect(await checkPassedPromises(f.deps)).toEqual(expect.arrayContaining([expect.objectContaining({ shipmentId: s.id })]));
  });

  it('delayed: a promise that passes after the carrier reported the delay tells the customer nothing new', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'in_transit', detail: 'Delayed in transit: weather' });
    await f.pump();
    expect((await f.messages(order.id)).filter((m) => m.workflow_id === 'delayed')).toHaveLength(1);
    f.clock.set(new Date(order.promisedDeliveryAt!.getTime() + 26 * HOUR));
    for (const e of await checkPassedPromises(f.deps)) await scheduleNotifications(f.deps, e);
    await runDueNotifications(f.deps);
    expect((await f.messages(order.id)).filter((m) => m.workflow_id === 'delayed')).toHaveLength(1);
  });

  it('exception: by email and SMS even at 23:00 store time, with a way to reach a person', async () => {
    const order = await f.placeOrder(newCustomer({ phone: '(518) 555-0142' }));
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    f.clock.set('2026-03-03T04:00:00Z'); // 23:00 EST
    await f.scan(s, { status: 'in_transit', at: -2 }, { status: 'exception', detail: 'Address information incomplete; carrier attempting to contact recipient' });
    await f.pump();
    const sent = (await f.messages(order.id)).filter((m) => m.workflow_id === 'exception');
    expect(sent.map((m) => [m.channel, m.recipient, m.status])).toEqual([
      ['email', expect.stringContaining('@example.com'), 'queued'],
      ['sms', '+15185550142', 'queued'],
    ]);
    expect(sent[0]!.body_text).toContain('help@shop.example.test');
    expect((await f.runs(order.id)).find((r) => r.workflow_id === 'exception')!.dedupe_key).toBe(`shipment:${s.id}:exception:address`);
  });

  it('quiet hours: an SMS due at 22:00 store time goes at 08:00', async () => {
    const order = await f.placeOrder(newCustomer({ phone: '518-555-0177' }));
    await updatePreferences(ctx.db, order.customerId, { patch: { channel: 'sms' } }, actor);
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    f.clock.set('2026-03-03T03:00:00Z'); // 22:00 EST
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    const run = (await f.runs(order.id)).find((r) => r.workflow_id === 'delivered')!;
    expect(run.status).toBe('scheduled');
    expect(run.due_at.toISOString()).toBe('2026-03-03T13:00:00.000Z'); // 08:00 EST
    expect((await f.messages(order.id)).filter((m) => m.workflow_id === 'delivered')).toEqual([]);
    await f.tick(10 * HOUR - MINUTE);
    expect((await f.messages(order.id)).filter((m) => m.workflow_id === 'delivered')).toEqual([]);
    await f.tick(MINUTE);
    const sms = (await f.messages(order.id)).filter((m) => m.workflow_id === 'delivered');
    expect(sms.map((m) => [m.channel, m.recipient])).toEqual([['sms', '+15185550177']]);
    expect(sms[0]!.body_text.length).toBeLessThanOrEqual(320);
  });

  it('consent: a customer who turned order emails off gets none, and the suppression says why', async () => {
    const order = await f.placeOrder(newCustomer());
    await updatePreferences(ctx.db, order.customerId, { patch: { emailTransactional: false } }, actor);
    await f.pump();
    const [m] = await f.messages(order.id);
    expect(m!.status).toBe('suppressed');
    expect(m!.error).toBe('the customer has not agreed to transactional messages by email');
    const { rows } = await ctx.db.query(`SELECT id FROM outbox WHERE topic = 'notification.message_queued' AND (payload->>'messageId')::bigint = $1`, [m!.id]);
    expect(rows).toEqual([]);
  });

  it('consent: an SMS-preferring customer with no usable number is recorded as suppressed', async () => {
    const order = await f.placeOrder(newCustomer({ phone: '555-0100' }));
    await updatePreferences(ctx.db, order.customerId, { patch: { channel: 'sms' } }, actor);
    await f.pump();
    const [m] = await f.messages(order.id);
    expect([m!.channel, m!.status, m!.error]).toEqual(['sms', 'suppressed', 'the customer has no phone number that can take a text (E.164)']);
  });

  it('return received and refund issued, when the returned items are refunded', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await f.tick(10 * MINUTE);
    await f.scan(s, { status: 'delivered' });
    await f.pump();
    await returnDeliveredOrderItems(ctx.db, { orderId: order.id, itemIds: [order.lines[0]!.variantId], paymentMethodId: order.payments[0]!.paymentMethodId }, actor);
    await f.pump();
    expect((await f.messages(order.id)).map((m) => m.template)).not.toContain('return-received'); // requested, not received
    await refundOrder(ctx.db, { orderId: order.id, amount: 25, reason: 'return received' }, actor);
    await f.pump();
    const last = (await f.messages(order.id)).slice(-2);
    expect(last.map((m) => m.template)).toEqual(['return-received', 'refund-issued']);
    expect(last[1]!.body_text).toContain('25.00');
  });

  it('refund issued: each refund is told once', async () => {
    const order = await f.placeOrder(newCustomer(), 2);
    await f.pump();
    await refundOrder(ctx.db, { orderId: order.id, amount: 5, reason: 'price match' }, actor);
    await refundOrder(ctx.db, { orderId: order.id, amount: 7.5, reason: 'late' }, actor);
    await f.pump();
    const refunds = (await f.messages(order.id)).filter((m) => m.template === 'refund-issued');
    expect(refunds).toHaveLength(2);
    expect(refunds[0]!.body_text).toContain('5.00');
    expect(refunds[1]!.body_text).toContain('7.50');
  });

  it('paused: a paused workflow starts nothing, and a run waiting on it waits until it is resumed', async () => {
    const order = await f.placeOrder(newCustomer());
    const s = await f.fulfil(order.id);
    await f.pump();
    await setWorkflowPaused(ctx.db, 'shipped', true, 'carrier outage', actor);
    await setWorkflowPaused(ctx.db, 'out_for_delivery', true, 'carrier outage', actor);
    try {
      await f.tick(30 * MINUTE);
      expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed']);
      expect((await f.runs(order.id)).find((r) => r.workflow_id === 'shipped')!.status).toBe('scheduled');
      await f.scan(s, { status: 'out_for_delivery' });
      await f.pump();
      expect((await f.runs(order.id)).map((r) => r.workflow_id)).not.toContain('out_for_delivery');
    } finally {
      await setWorkflowPaused(ctx.db, 'shipped', false, '', actor);
      await setWorkflowPaused(ctx.db, 'out_for_delivery', false, '', actor);
    }
    await f.tick(5 * MINUTE);
    expect((await f.messages(order.id)).map((m) => m.template)).toEqual(['order-confirmed', 'shipped']);
  });
});
