import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOutboundMailer, type OutboundMailer } from '../../src/channels/email/outbound-mailer.js';
import { systemActor } from '../../src/domain/actor.js';
import { loadPreferences, updatePreferences } from '../../src/notifications/consent/notification-preferences.js';
import {
  deliverNotificationMessage,
  MessageBeingSentError,
  RetryableDeliveryError,
  type DeliveryDeps,
} from '../../src/notifications/deliver-notification-message.js';
import { notificationLinks } from '../../src/notifications/notification-links.js';
import { notificationMessageId } from '../../src/notifications/notification-message-id.js';
import { createOutboxSmsSender } from '../../src/notifications/outbox-sms-sender.js';
import { queueNotificationMessage, type QueuedMessage } from '../../src/notifications/queue-notification-message.js';
import { releaseHeldMessages } from '../../src/notifications/release-held-messages.js';
import { verifyToken } from '../../src/notifications/signed-token.js';
import { SmsSendError, type OutgoingSms, type SmsSender } from '../../src/notifications/sms-sender.js';
import { startCaptureSmtpServer, type CaptureSmtpServer } from '../email/capture-smtp-server.js';
import { ALICE, seedAgentFixture } from '../support/agent-fixture.js';
import { describeEachDb } from '../support/test-db.js';

const SUPPORT = 'support@shop.example';
const SECRET = 'delivery-test-secret';
const ALICE_EMAIL = 'alice.ng@example.com';
const ALICE_PHONE = '+15551234567';

let smtp: CaptureSmtpServer;
let mailer: OutboundMailer;
let dataDir: string;
beforeAll(async () => {
  smtp = await startCaptureSmtpServer();
  dataDir = mkdtempSync(join(tmpdir(), 'orderops-delivery-'));
  mailer = createOutboundMailer({ SMTP_URL: smtp.url, DATA_DIR: dataDir });
});
afterAll(async () => {
  await mailer?.close();
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The outbox sender, with what it was asked to send kept for the test to read. */
function recordingSms(inner: SmsSender): SmsSender & { sent: OutgoingSms[] } {
  const sent: OutgoingSms[] = [];
  return { kind: inner.kind, sent, send: async (sms) => (sent.push(sms), inner.send(sms)) };
}

/** A provider that answers every send with the same error, as Twilio answers a bad number. */
function failingSms(error: SmsSendError): SmsSender {
  return { kind: 'twilio', send: async () => Promise.reject(error) };
}

const mailsWithId = (messageId: string) => smtp.messages.filter((m) => m.parsed.messageId === messageId);

describeEachDb('notification delivery', (ctx) => {
  let n = 0;
  const sms = recordingSms(createOutboxSmsSender(join(tmpdir(), `orderops-delivery-sms-${process.pid}`)));
  const deps = (over: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
    db: ctx.db,
    mailer,
    sms,
    fromAddress: SUPPORT,
    storeName: 'Shop Example',
    statusCallbackUrl: () => 'https://shop.example/webhooks/twilio/status',
    links: notificationLinks('https://shop.example', SECRET),
    ...over,
  });
  /** Queues one message with a key of its own; returns its id and key. */
  const queue = async (over: Partial<QueuedMessage> = {}) => {
    const idempotencyKey = `test:${ctx.backend}:${++n}:${Date.now()}`;
    const { id } = await queueNotificationMessage(ctx.db, {
      runId: null,
      workflowId: 'shipped',
      template: 'shipped',
      category: 'transactional',
      customerId: ALICE,
      orderId: '#W1000003',
      channel: 'email',
      recipient: ALICE_EMAIL,
      subject: 'Your order #W1000003 has shipped',
      bodyText: 'Your order #W1000003 is on its way.',
      bodyHtml: '<p>Your order <b>#W1000003</b> is on its way.</p>',
      idempotencyKey,
      ...over,
    });
    return { id, key: idempotencyKey, messageId: notificationMessageId(idempotencyKey, SUPPORT) };
  };
  const row = async (id: number) =>
    (await ctx.db.query<{ status: string; provider_id: string | null; sent_at: Date | null; error: string | null }>(
      'SELECT status, provider_id, sent_at, error FROM notification_messages WHERE id = $1',
      [id],
    )).rows[0]!;
  const emailRecord = async (messageId: string) =>
    (await ctx.db.query<{ thread_id: number; source: string; outcome: string; in_reply_to: string | null; reference_ids: string[] }>(
      'SELECT thread_id, source, outcome, in_reply_to, reference_ids FROM email_messages WHERE message_id = $1',
      [messageId],
    )).rows;
  const addThread = async (root: string, counterpart: string, customerId: string | null, messages: { id: string; direction: 'inbound' | 'outbound'; text: string; refs?: string[]; at: string }[]) => {
    const { rows } = await ctx.db.query<{ id: number }>(
      `INSERT INTO email_threads (root_message_id, counterpart, subject, customer_id) VALUES ($1, $2, 'Where is my order?', $3) RETURNING id`,
      [root, counterpart, customerId],
    );
    for (const m of messages) {
      await ctx.db.query(
        `INSERT INTO email_messages (message_id, thread_id, direction, source, counterpart, from_address, to_addresses, subject, reference_ids, body_text, outcome, created_at)
         VALUES ($1, $2, $3, $4, $5, $5, '{}', 'Where is my order?', $6, $7, 'sent', $8)`,
        [m.id, rows[0]!.id, m.direction, m.direction === 'inbound' ? 'smtp' : 'reply', counterpart, m.refs ?? [], m.text, m.at],
      );
    }
    return Number(rows[0]!.id);
  };

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
  });

  it('mails from the support address with unsubscribe headers, a Message-ID from the key, and records it', async () => {
    const { id, messageId } = await queue({ orderId: '#W1000001', subject: 'Order #W1000001 confirmed', bodyText: 'Thanks for order #W1000001.' });
    expect(await deliverNotificationMessage(deps(), id)).toBe('sent');

    const mail = await smtp.waitFor((m) => m.parsed.messageId === messageId);
    expect(mail.envelope.to).toEqual([ALICE_EMAIL]);
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: SUPPORT, name: 'Shop Example' });
    expect(mail.parsed.subject).toBe('Order #W1000001 confirmed');
    expect(mail.parsed.html).toContain('<b>#W1000003</b>');
    expect(mail.headers['auto-submitted']).toEqual(['auto-generated']);
    expect(mail.headers['list-unsubscribe-post']).toEqual(['List-Unsubscribe=One-Click']);
    const [unsubscribe] = mail.headers['list-unsubscribe']!;
    const match = /^<(https:\/\/shop\.example\/unsubscribe\/([^>]+))>$/.exec(unsubscribe!);
    expect(match).not.toBeNull();
    expect(verifyToken(SECRET, 'unsubscribe', match![2]!)).toBe(`${ALICE}\ntransactional`);
    // No support thread about this order: the mail starts one of its own.
    expect(mail.parsed.inReplyTo).toBeUndefined();

    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', provider_id: messageId, error: null });
    expect(sent.sent_at).not.toBeNull();
    const [record] = await emailRecord(messageId);
    expect(record).toMatchObject({ source: 'notification', outcome: 'sent', in_reply_to: null });
    const { rows: thread } = await ctx.db.query('SELECT root_message_id, counterpart, customer_id FROM email_threads WHERE id = $1', [record!.thread_id]);
    expect(thread[0]).toEqual({ root_message_id: messageId, counterpart: ALICE_EMAIL, customer_id: ALICE });
  });

  it("answers the customer's own support thread about the order, never another mailbox's", async () => {
    const own = await addThread(`<q1-${ctx.backend}@example.com>`, ALICE_EMAIL, ALICE, [
      { id: `<q1-${ctx.backend}@example.com>`, direction: 'inbound', text: 'Where is W1000003?', at: '2026-01-01T10:00:00Z' },
      { id: `<r1-${ctx.backend}@shop.example>`, direction: 'outbound', text: 'It ships tomorrow.', refs: [`<q1-${ctx.backend}@example.com>`], at: '2026-01-01T10:05:00Z' },
    ]);
    // Newer, names the same order, but another address: not a thread Alice reads.
    await addThread(`<x1-${ctx.backend}@example.net>`, 'someone@example.net', null, [
      { id: `<x1-${ctx.backend}@example.net>`, direction: 'inbound', text: 'Is #W1000003 mine?', at: '2026-01-02T10:00:00Z' },
    ]);
    const { id, messageId } = await queue();
    expect(await deliverNotificationMessage(deps(), id)).toBe('sent');

    const mail = await smtp.waitFor((m) => m.parsed.messageId === messageId);
    expect(mail.parsed.inReplyTo).toBe(`<r1-${ctx.backend}@shop.example>`);
    expect(mail.parsed.references).toEqual([`<q1-${ctx.backend}@example.com>`, `<r1-${ctx.backend}@shop.example>`]);
    expect((await emailRecord(messageId))[0]).toMatchObject({ thread_id: own, in_reply_to: `<r1-${ctx.backend}@shop.example>` });
  });

  it("threads an order's later notification under its earlier one", async () => {
    const first = await queue({ orderId: '#W1000004', subject: 'Order confirmed', bodyText: 'Thanks!' });
    expect(await deliverNotificationMessage(deps(), first.id)).toBe('sent');
    const second = await queue({ orderId: '#W1000004', subject: 'Shipped', bodyText: 'On its way.' });
    expect(await deliverNotificationMessage(deps(), second.id)).toBe('sent');
    const mail = await smtp.waitFor((m) => m.parsed.messageId === second.messageId);
    expect(mail.parsed.inReplyTo).toBe(first.messageId);
    expect((await emailRecord(second.messageId))[0]!.thread_id).toBe((await emailRecord(first.messageId))[0]!.thread_id);
  });

  it('a deferred mail (SMTP 451) goes back to queued and throws; the retry sends it once, under the same Message-ID', async () => {
    const { id, messageId } = await queue({ orderId: '#W1000005', subject: 'Order #W1000005 confirmed' });
    smtp.refuseRecipients({ code: 451, message: 'try again later' });
    try {
      await expect(deliverNotificationMessage(deps(), id)).rejects.toBeInstanceOf(RetryableDeliveryError);
    } finally {
      smtp.refuseRecipients(null);
    }
    expect(await row(id)).toMatchObject({ status: 'queued', provider_id: null });
    expect((await row(id)).error).toMatch(/451/);
    expect(mailsWithId(messageId)).toHaveLength(0);

    expect(await deliverNotificationMessage(deps(), id)).toBe('sent');
    await smtp.waitFor((m) => m.parsed.messageId === messageId);
    expect(mailsWithId(messageId)).toHaveLength(1);
    expect(await emailRecord(messageId)).toHaveLength(1);

    // A worker that died after the hand-off, before recording it, left the claim behind: once the
    // claim is stale the next try sends again, and the copy carries the same Message-ID.
    await ctx.db.query(`UPDATE notification_messages SET status = 'sending', updated_at = now() - interval '10 minutes' WHERE id = $1`, [id]);
    expect(await deliverNotificationMessage(deps(), id)).toBe('sent');
    await expect.poll(() => mailsWithId(messageId).length).toBe(2);
    expect(new Set(mailsWithId(messageId).map((m) => m.headers['list-unsubscribe']![0]))).toHaveProperty('size', 1);
  });

  it('a deferred mail whose run a later event cancelled before the retry is suppressed, and so is its record in the thread', async () => {
    const { rows: runs } = await ctx.db.query<{ id: number }>(
      `INSERT INTO notification_runs (workflow_id, customer_id, order_id, trigger, dedupe_key, status, due_at)
       VALUES ('out_for_delivery', $1, '#W1000005', 'shipment.out_for_delivery', $2, 'done', now()) RETURNING id`,
      [ALICE, `deferred-stale-${ctx.backend}`],
    );
    const { id, messageId } = await queue({ runId: Number(runs[0]!.id), orderId: '#W1000005', subject: 'Out for delivery' });
    smtp.pause();
    try {
      await expect(deliverNotificationMessage(deps(), id)).rejects.toBeInstanceOf(RetryableDeliveryError);
    } finally {
      smtp.resume();
    }
    expect((await emailRecord(messageId))[0]).toMatchObject({ outcome: 'queued' });

    await ctx.db.query(`UPDATE notification_runs SET status = 'cancelled', outcome_detail = 'cancelled by shipment.delivered' WHERE id = $1`, [runs[0]!.id]);
    expect(await deliverNotificationMessage(deps(), id)).toBe('suppressed');
    expect((await emailRecord(messageId))[0]).toMatchObject({ outcome: 'suppressed' });
    expect(mailsWithId(messageId)).toHaveLength(0);
  });

  it('a refused mail (SMTP 550) is failed with the reason and never tried again', async () => {
    const { id, messageId } = await queue({ orderId: '#W1000008' });
    smtp.refuseRecipients({ code: 550, message: 'no such mailbox' });
    try {
      expect(await deliverNotificationMessage(deps(), id)).toBe('failed');
    } finally {
      smtp.refuseRecipients(null);
    }
    expect(await row(id)).toMatchObject({ status: 'failed' });
    expect((await row(id)).error).toMatch(/550|no such mailbox/);
    expect((await emailRecord(messageId))[0]).toMatchObject({ outcome: 'failed' });
    expect(await deliverNotificationMessage(deps(), id)).toBe('skipped');
    expect(mailsWithId(messageId)).toHaveLength(0);
  });

  it('a message sent is never sent again, also when two workers try it at once', async () => {
    const once = await queue({ orderId: '#W1000009' });
    expect(await deliverNotificationMessage(deps(), once.id)).toBe('sent');
    expect(await deliverNotificationMessage(deps(), once.id)).toBe('skipped');

    const raced = await queue({ orderId: '#W1000009' });
    const results = await Promise.allSettled([deliverNotificationMessage(deps(), raced.id), deliverNotificationMessage(deps(), raced.id)]);
    const sent = results.filter((r) => r.status === 'fulfilled' && r.value === 'sent');
    expect(sent).toHaveLength(1);
    for (const r of results.filter((x) => !(x.status === 'fulfilled' && x.value === 'sent'))) {
      if (r.status === 'fulfilled') expect(r.value).toBe('skipped');
      else expect(r.reason).toBeInstanceOf(MessageBeingSentError);
    }
    await smtp.waitFor((m) => m.parsed.messageId === raced.messageId);
    await new Promise((r) => setTimeout(r, 100));
    expect(mailsWithId(once.messageId)).toHaveLength(1);
    expect(mailsWithId(raced.messageId)).toHaveLength(1);
  });

  it('texts through the SMS sender with the key and the status callback, and keeps the provider id', async () => {
    const { id, key } = await queue({ channel: 'sms', recipient: ALICE_PHONE, subject: '', bodyText: 'Shop Example: #W1000003 has shipped.', bodyHtml: null });
    expect(await deliverNotificationMessage(deps(), id)).toBe('sent');
    expect(sms.sent.filter((s) => s.idempotencyKey === key)).toEqual([
      { to: ALICE_PHONE, body: 'Shop Example: #W1000003 has shipped.', idempotencyKey: key, statusCallbackUrl: 'https://shop.example/webhooks/twilio/status' },
    ]);
    const sent = await row(id);
    expect(sent.status).toBe('sent');
    expect(sent.provider_id).toMatch(/^OB[0-9a-f]{24}$/);
    const dir = join(tmpdir(), `orderops-delivery-sms-${process.pid}`, 'sms-outbox');
    const file = readdirSync(dir).find((f) => f === `${sent.provider_id!.slice(2)}.json`)!;
    expect(JSON.parse(readFileSync(join(dir, file), 'utf8'))).toMatchObject({ to: ALICE_PHONE, body: 'Shop Example: #W1000003 has shipped.' });
    expect(await deliverNotificationMessage(deps(), id)).toBe('skipped');
    expect(sms.sent.filter((s) => s.idempotencyKey === key)).toHaveLength(1);
  });

  it('an SMS the provider may take later is queued again and throws; one it refuses is failed', async () => {
    const later = await queue({ channel: 'sms', recipient: ALICE_PHONE, bodyHtml: null });
    await expect(deliverNotificationMessage(deps({ sms: failingSms(new SmsSendError('Twilio answered 503', true)) }), later.id)).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect((await row(later.id)).status).toBe('queued');
    expect(await deliverNotificationMessage(deps(), later.id)).toBe('sent');

    const refused = await queue({ channel: 'sms', recipient: '+15550000000', bodyHtml: null });
    expect(await deliverNotificationMessage(deps({ sms: failingSms(new SmsSendError("The 'To' number is not a valid phone number", false, '21211')) }), refused.id)).toBe('failed');
    expect(await row(refused.id)).toMatchObject({ status: 'failed', error: "21211: The 'To' number is not a valid phone number" });
    expect((await loadPreferences(ctx.db, ALICE)).smsStoppedAt).toBeNull();
  });

  it("Twilio's 21610 (the number replied STOP) fails the text and records the STOP for the customer", async () => {
    const { id } = await queue({ customerId: 'bob_stone_2002', orderId: '#W2000001', channel: 'sms', recipient: '+15559876543', bodyHtml: null });
    const optedOut = new SmsSendError('Attempt to send to unsubscribed recipient', false, '21610');
    expect(await deliverNotificationMessage(deps({ sms: failingSms(optedOut) }), id)).toBe('failed');
    expect((await loadPreferences(ctx.db, 'bob_stone_2002')).smsStoppedAt).not.toBeNull();
    // The next text is not even tried.
    const next = await queue({ customerId: 'bob_stone_2002', orderId: '#W2000001', channel: 'sms', recipient: '+15559876543', bodyHtml: null });
    expect(await deliverNotificationMessage(deps({ sms: failingSms(new SmsSendError('must not be called', false)) }), next.id)).toBe('suppressed');
  });

  it('a STOP or an unsubscribe that arrives after queueing wins: suppressed, nothing sent', async () => {
    const text = await queue({ customerId: 'carla_diaz_3003', orderId: '#W3000001', channel: 'sms', recipient: '+15551112222', bodyHtml: null });
    const mail = await queue({ customerId: 'carla_diaz_3003', orderId: '#W3000001', recipient: 'carla.diaz@example.com' });
    await updatePreferences(ctx.db, 'carla_diaz_3003', { smsStopped: true, patch: { emailTransactional: false } }, systemActor('test'));
    const before = sms.sent.length;
    expect(await deliverNotificationMessage(deps(), text.id)).toBe('suppressed');
    expect(await deliverNotificationMessage(deps(), mail.id)).toBe('suppressed');
    expect(sms.sent.length).toBe(before);
    expect((await row(text.id)).error).toMatch(/STOP/);
    expect((await row(mail.id)).error).toMatch(/transactional messages by email/);
    expect(mailsWithId(mail.messageId)).toHaveLength(0);
  });

  it("a message whose run a later event cancelled is dropped as stale; a paused workflow's waits for resume", async () => {
    const { rows: runs } = await ctx.db.query<{ id: number }>(
      `INSERT INTO notification_runs (workflow_id, customer_id, order_id, trigger, dedupe_key, status, due_at, outcome_detail)
       VALUES ('shipped', $1, '#W1000003', 'shipment.shipped', $2, 'cancelled', now(), 'cancelled by shipment.delivered') RETURNING id`,
      [ALICE, `stale-${ctx.backend}`],
    );
    const stale = await queue({ runId: Number(runs[0]!.id) });
    expect(await deliverNotificationMessage(deps(), stale.id)).toBe('suppressed');
    expect((await row(stale.id)).error).toMatch(/stale: run \d+ was cancelled \(cancelled by shipment.delivered\)/);

    await ctx.db.query(
      `INSERT INTO notification_workflows (id, definition, paused, paused_reason) VALUES ('held-wf', '{}'::jsonb, true, 'carrier outage')`,
    );
    const { rows: live } = await ctx.db.query<{ id: number }>(
      `INSERT INTO notification_runs (workflow_id, customer_id, order_id, trigger, dedupe_key, status, due_at)
       VALUES ('held-wf', $1, '#W1000003', 'shipment.shipped', $2, 'done', now()) RETURNING id`,
      [ALICE, `held-${ctx.backend}`],
    );
    const held = await queue({ runId: Number(live[0]!.id), workflowId: 'held-wf' });
    expect(await deliverNotificationMessage(deps(), held.id)).toBe('skipped');
    expect(await row(held.id)).toMatchObject({ status: 'queued', error: 'held: workflow held-wf is paused' });
    expect(mailsWithId(held.messageId)).toHaveLength(0);

    await ctx.db.query(`UPDATE notification_workflows SET paused = false WHERE id = 'held-wf'`);
    const { rows: before } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'notification.message_queued'`);
    expect(await releaseHeldMessages(ctx.db, 'held-wf')).toBe(1);
    const { rows: after } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'notification.message_queued'`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    expect(await deliverNotificationMessage(deps(), held.id)).toBe('sent');
  });

  it('a text let out during quiet hours waits for their end, unless its workflow ignores them', async () => {
    const quietHours = {
      settings: { quiet_hours: { start: '21:00', end: '08:00', channels: ['sms' as const] } },
      timezone: 'America/New_York',
      clock: { now: () => new Date('2026-03-03T03:00:00Z') }, // 22:00 in New York
    };
    await ctx.db.query(
      `INSERT INTO notification_workflows (id, definition) VALUES ('quiet-wf', '{"ignore_quiet_hours": false}'::jsonb), ('urgent-wf', '{"ignore_quiet_hours": true}'::jsonb)`,
    );
    const runFor = async (workflow: string) =>
      Number((await ctx.db.query<{ id: number }>(
        `INSERT INTO notification_runs (workflow_id, customer_id, order_id, trigger, dedupe_key, status, due_at)
         VALUES ($1, $2, '#W1000003', 'shipment.shipped', $3, 'done', now()) RETURNING id`,
        [workflow, ALICE, `${workflow}-${ctx.backend}`],
      )).rows[0]!.id);
    const text = { channel: 'sms' as const, recipient: ALICE_PHONE, subject: '', bodyHtml: null, bodyText: 'Shop Example: order #W1000003 shipped. Reply STOP to opt out' };
    const quiet = await queue({ ...text, runId: await runFor('quiet-wf'), workflowId: 'quiet-wf' });
    const before = sms.sent.length;
    expect(await deliverNotificationMessage(deps({ quietHours }), quiet.id)).toBe('skipped');
    expect(await row(quiet.id)).toMatchObject({ status: 'queued', error: 'waiting: quiet hours until 2026-03-03T13:00:00.000Z' });
    expect(sms.sent.length).toBe(before);
    const urgent = await queue({ ...text, runId: await runFor('urgent-wf'), workflowId: 'urgent-wf' });
    expect(await deliverNotificationMessage(deps({ quietHours }), urgent.id)).toBe('sent');
    // Morning: the waiting one goes.
    const morning = { ...quietHours, clock: { now: () => new Date('2026-03-03T13:00:00Z') } };
    expect(await deliverNotificationMessage(deps({ quietHours: morning }), quiet.id)).toBe('sent');
    expect(sms.sent.length).toBe(before + 2);
  });
});
