import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioExtension } from '../../src/connectors/sms/twilio/twilio-extension.js';
import { createTwilioSmsSender } from '../../src/connectors/sms/twilio/twilio-sms-sender.js';
import type { Db } from '../../src/db/db.js';
import { consentRefusal, loadPreferences } from '../../src/notifications/consent/notification-preferences.js';
import { queueNotificationMessage } from '../../src/notifications/queue-notification-message.js';
import { applySmsStatusReports } from '../../src/notifications/record-sms-status.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { TwilioWireServer } from '../support/twilio-wire-server.js';

const API_TOKEN = 'twilio-webhooks-api-token-0123456789';
const STATUS = '/webhooks/twilio/status';
const INBOUND = '/webhooks/twilio/inbound';

const CUSTOMERS = [
  // The same numbers as Twilio reports them (+1555...), written as people type them.
  { id: 'c-tw-ana', phone: '(555) 010-0301' },
  { id: 'c-tw-ben', phone: '+1 555 010 0302' },
  { id: 'c-tw-cleo', phone: '555.010.0302' },
  { id: 'c-tw-dev', phone: '+44 20 7946 0958' },
];

let seq = 0;

async function seedCustomers(db: Db): Promise<void> {
  for (const c of CUSTOMERS) {
    await db.query(
      `INSERT INTO customers (id, first_name, last_name, email, phone) VALUES ($1, 'Test', $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [c.id, `${c.id}@example.com`, c.phone],
    );
  }
}

describeEachDb('Twilio webhooks through the running server', (ctx) => {
  const wire = new TwilioWireServer();
  let running: RunningApp;
  let statusUrl = '';
  let inboundUrl = '';
  let wireUrl = '';

  beforeAll(async () => {
    const apiUrl = (wireUrl = await wire.start());
    await seedCustomers(ctx.db);
    const config = testAppConfig('twilio-hooks', {
      API_TOKEN,
      TWILIO_ACCOUNT_SID: wire.accountSid,
      TWILIO_AUTH_TOKEN: wire.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: apiUrl,
      STORE_NAME: 'Nordic Socks & Co',
      SUPPORT_EMAIL: 'help@nordic-socks.example',
    });
    running = await startApp(config, { db: ctx.db, extensions: [twilioExtension], log: () => {} });
    // No PUBLIC_URL: the public address is the server's own.
    statusUrl = `${running.url}${STATUS}`;
    inboundUrl = `${running.url}${INBOUND}`;
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await wire.stop();
  });

  /** An SMS recorded, sent through Twilio (the wire server) and marked as the sender marks it. */
  async function sentSms(to = '+15550100301', status = 'sent'): Promise<{ id: number; sid: string }> {
    const key = `twilio-hooks-${++seq}`;
    const { id } = await queueNotificationMessage(ctx.db, {
      runId: null, workflowId: 'shipped', template: 'shipped', category: 'transactional', customerId: 'c-tw-ana', orderId: null,
      channel: 'sms', recipient: to, subject: '', bodyText: 'Your order has shipped.', bodyHtml: null, idempotencyKey: key,
    });
    const r = await createTwilioSmsSender({
      accountSid: wire.accountSid, authToken: wire.authToken, from: '+15005550006', apiUrl: wireUrl,
    }).send({ to, body: 'Your order has shipped.', idempotencyKey: key, statusCallbackUrl: statusUrl });
    await ctx.db.query(`UPDATE notification_messages SET status = $2, provider_id = $3, sent_at = now() WHERE id = $1`, [id, status, r.providerId]);
    return { id, sid: r.providerId };
  }

  const message = async (id: number) =>
    (await ctx.db.query<{ status: string; error: string | null }>('SELECT status, error FROM notification_messages WHERE id = $1', [id])).rows[0]!;
  const reports = async (sid: string) =>
    (await ctx.db.query<{ message_status: string }>('SELECT message_status FROM sms_status_reports WHERE message_sid = $1 ORDER BY message_status', [sid])).rows.map((r) => r.message_status);
  const count = async (sql: string, params: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  describe('status callbacks', () => {
    it('a signed delivery report marks the message delivered, without an API token', async () => {
      const m = await sentSms();
      const r = await wire.sendStatusCallback(m.sid, 'delivered');
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toMatchObject({ status: 'updated', messageStatus: 'delivered' });
      expect(await message(m.id)).toEqual({ status: 'delivered', error: null });
    });

    it('never moves a message back: a late "sent" after "delivered" leaves it delivered', async () => {
      const m = await sentSms();
      await wire.sendStatusCallback(m.sid, 'delivered');
      const late = await wire.sendStatusCallback(m.sid, 'sent');
      expect(late.status).toBe(200);
      expect(JSON.parse(late.text)).toMatchObject({ status: 'unchanged', messageStatus: 'delivered' });
      expect((await message(m.id)).status).toBe('delivered');
    });

    it('undelivered keeps the error code; a later "failed" does not replace the first final word', async () => {
      const m = await sentSms();
      await wire.sendStatusCallback(m.sid, 'undelivered', { errorCode: '30003' });
      expect(await message(m.id)).toEqual({ status: 'undelivered', error: '30003' });
      await wire.sendStatusCallback(m.sid, 'failed', { errorCode: '30008' });
      expect(await message(m.id)).toEqual({ status: 'undelivered', error: '30003' });
    });

    it('"sent" moves a message still marked sending; queued and sending reports change nothing', async () => {
      const m = await sentSms('+15550100301', 'sending');
      await wire.sendStatusCallback(m.sid, 'queued');
      expect((await message(m.id)).status).toBe('sending');
      await wire.sendStatusCallback(m.sid, 'sent');
      expect((await message(m.id)).status).toBe('sent');
      await wire.sendStatusCallback(m.sid, 'failed', { errorCode: '30007' });
      expect(await message(m.id)).toEqual({ status: 'failed', error: '30007' });
    });

    it('the same report twice is stored once and changes nothing the second time', async () => {
      const m = await sentSms();
      const first = await wire.sendStatusCallback(m.sid, 'delivered');
      const again = await wire.sendStatusCallback(m.sid, 'delivered');
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(JSON.parse(again.text).status).toBe('unchanged');
      expect(await reports(m.sid)).toEqual(['delivered']);
    });

    it('a report for an unknown SID is a 200 and changes no message', async () => {
      const before = await count(`SELECT count(*)::int AS n FROM notification_messages WHERE status = 'delivered'`);
      const r = await wire.sendStatusCallback('SM00000000000000000000000000000000', 'delivered', { signedUrl: statusUrl });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).status).toBe('unknown_message');
      expect(await count(`SELECT count(*)::int AS n FROM notification_messages WHERE status = 'delivered'`)).toBe(before);
    });

    it('a forged report (bad signature, no signature, another URL, a changed parameter) is a 403 and changes nothing', async () => {
      const m = await sentSms();
      const forged = [
        await wire.sendStatusCallback(m.sid, 'failed', { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' }),
        await wire.sendStatusCallback(m.sid, 'failed', { signature: null }),
        await wire.sendStatusCallback(m.sid, 'failed', { signedUrl: `${running.url}/webhooks/twilio/inbound`, deliverTo: statusUrl }),
        await wire.sendStatusCallback(m.sid, 'failed', { signedUrl: `http://evil.example${STATUS}`, deliverTo: statusUrl }),
        await wire.sendStatusCallback(m.sid, 'delivered', { tamper: (p) => { p.MessageStatus = 'failed'; p.SmsStatus = 'failed'; } }),
        await wire.sendStatusCallback(m.sid, 'delivered', { tamper: (p) => { p.ErrorCode = '30003'; } }),
      ];
      expect(forged.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(JSON.parse(forged[0]!.text).code).toBe('bad_signature');
      expect(await message(m.id)).toEqual({ status: 'sent', error: null });
      expect(await reports(m.sid)).toEqual([]);
    });

    it('a report that arrives before the message SID is stored is applied once the sender stores it', async () => {
      const m = await sentSms();
      await ctx.db.query('UPDATE notification_messages SET provider_id = NULL WHERE id = $1', [m.id]);
      const early = await wire.sendStatusCallback(m.sid, 'delivered');
      expect(JSON.parse(early.text).status).toBe('unknown_message');
      await ctx.db.query('UPDATE notification_messages SET provider_id = $2 WHERE id = $1', [m.id, m.sid]);
      expect(await applySmsStatusReports(ctx.db, m.sid)).toMatchObject({ outcome: 'updated', status: 'delivered' });
      expect((await message(m.id)).status).toBe('delivered');
    });

    it('takes the form with a charset parameter, and refuses other content types without reading them', async () => {
      const m = await sentSms();
      const params = { AccountSid: wire.accountSid, MessageSid: m.sid, MessageStatus: 'delivered' };
      const signature = wire.sign(statusUrl, params);
      const json = await fetch(statusUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body: JSON.stringify(params) });
      expect(json.status).toBe(415);
      expect((await message(m.id)).status).toBe('sent');
      const res = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(200);
      expect((await message(m.id)).status).toBe('delivered');
    });

    it('a signed report without MessageStatus is a 400 naming the field', async () => {
      const m = await sentSms();
      const params = { AccountSid: wire.accountSid, MessageSid: m.sid };
      const res = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': wire.sign(statusUrl, params) },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('MessageStatus');
      expect((await message(m.id)).status).toBe('sent');
    });
  });

  describe('incoming texts', () => {
    const prefs = (id: string) => loadPreferences(ctx.db, id);

    it('STOP from a customer\'s phone stops their SMS; START lets them resume', async () => {
      const stop = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP' });
      expect(stop.status).toBe(200);
      expect(stop.contentType).toMatch(/^text\/xml/);
      expect(stop.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const stopped = await prefs('c-tw-ana');
      expect(stopped.smsStoppedAt).toBeInstanceOf(Date);
      expect(consentRefusal(stopped, 'sms', 'transactional')).toMatch(/STOP/);
      expect(consentRefusal(stopped, 'email', 'transactional')).toBeNull();
      const row = (await ctx.db.query('SELECT customer_id, action, body FROM sms_inbound WHERE message_sid = $1', [stop.messageSid])).rows[0];
      expect(row).toEqual({ customer_id: 'c-tw-ana', action: 'stop', body: 'STOP' });

      const start = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'start' });
      expect(start.status).toBe(200);
      const resumed = await prefs('c-tw-ana');
      expect(resumed.smsStoppedAt).toBeNull();
      expect(consentRefusal(resumed, 'sms', 'transactional')).toBeNull();
    });

    it('every opt-out word stops, and it applies to each customer sharing the phone', async () => {
      for (const word of ['UNSUBSCRIBE', 'cancel', 'End', 'QUIT', 'STOPALL', 'REVOKE', 'OPTOUT']) {
        await wire.sendInbound(inboundUrl, { from: '+15550100302', body: 'UNSTOP' });
        expect((await prefs('c-tw-ben')).smsStoppedAt).toBeNull();
        await wire.sendInbound(inboundUrl, { from: '+15550100302', body: word });
        expect((await prefs('c-tw-ben')).smsStoppedAt, word).toBeInstanceOf(Date);
        expect((await prefs('c-tw-cleo')).smsStoppedAt, word).toBeInstanceOf(Date);
      }
      await wire.sendInbound(inboundUrl, { from: '+15550100302', body: 'YES' });
      expect((await prefs('c-tw-ben')).smsStoppedAt).toBeNull();
      expect((await prefs('c-tw-cleo')).smsStoppedAt).toBeNull();
    });

    it('matches a number outside +1 by its full E.164 digits', async () => {
      await wire.sendInbound(inboundUrl, { from: '+442079460958', body: 'stop' });
      expect((await prefs('c-tw-dev')).smsStoppedAt).toBeInstanceOf(Date);
      await wire.sendInbound(inboundUrl, { from: '+442079460958', body: 'start' });
      expect((await prefs('c-tw-dev')).smsStoppedAt).toBeNull();
    });

    it('HELP is answered with the help text, filled in and escaped for XML; nothing changes', async () => {
      const before = await prefs('c-tw-ana');
      const r = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'help' });
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/^text\/xml/);
      expect(r.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>[^<]+<\/Message><\/Response>$/);
      expect(r.text).toContain('Nordic Socks &amp; Co');
      expect(r.text).toContain('help@nordic-socks.example');
      expect(r.text).toContain('Reply STOP');
      expect(r.text).not.toContain('{{');
      expect((await prefs('c-tw-ana')).smsStoppedAt).toEqual(before.smsStoppedAt);
    });

    it('any other text is stored for a person and answered with an empty Response', async () => {
      const r = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'Please stop by tomorrow, where is my order?' });
      expect(r.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const row = (await ctx.db.query('SELECT customer_id, action, body FROM sms_inbound WHERE message_sid = $1', [r.messageSid])).rows[0];
      expect(row).toEqual({ customer_id: 'c-tw-ana', action: 'none', body: 'Please stop by tomorrow, where is my order?' });
      expect((await prefs('c-tw-ana')).smsStoppedAt).toBeNull();
    });

    it('a text from an unknown number is stored with no customer', async () => {
      const r = await wire.sendInbound(inboundUrl, { from: '+15550109999', body: 'STOP' });
      expect(r.status).toBe(200);
      const row = (await ctx.db.query('SELECT customer_id, action FROM sms_inbound WHERE message_sid = $1', [r.messageSid])).rows[0];
      expect(row).toEqual({ customer_id: null, action: 'stop' });
    });

    it('the same MessageSid delivered twice is stored and acted on once', async () => {
      const audits = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notification_preferences.updated' AND entity_id = 'c-tw-ana'`);
      const before = await audits();
      const sid = `SM${'d'.repeat(32)}`;
      const first = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP', messageSid: sid });
      const again = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP', messageSid: sid });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(await count('SELECT count(*)::int AS n FROM sms_inbound WHERE message_sid = $1', [sid])).toBe(1);
      expect(await audits()).toBe(before + 1);
      await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'START' });
    });

    it('a forged STOP is a 403: nothing stored, nobody stopped', async () => {
      const stored = await count('SELECT count(*)::int AS n FROM sms_inbound');
      const forged = [
        await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP' }, { signature: 'not-a-signature' }),
        await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP' }, { signature: null }),
        await wire.sendInbound(`https://attacker.example${INBOUND}`, { from: '+15550100301', body: 'STOP' }, { deliverTo: inboundUrl }),
        await wire.sendInbound(inboundUrl, { from: '+15550109998', body: 'STOP' }, { tamper: (p) => { p.From = '+15550100301'; } }),
      ];
      expect(forged.map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect(await count('SELECT count(*)::int AS n FROM sms_inbound')).toBe(stored);
      expect((await prefs('c-tw-ana')).smsStoppedAt).toBeNull();
    });

    it('a NUL in a signed text is verified as sent and stored without it', async () => {
      const r = await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'hi\u0000there' });
      expect(r.status).toBe(200);
      const row = (await ctx.db.query<{ body: string }>('SELECT body FROM sms_inbound WHERE message_sid = $1', [r.messageSid])).rows[0];
      expect(row?.body).toBe('hithere');
    });

    it('once a customer texts STOP, Twilio refuses further texts to them with 21610 (not retryable)', async () => {
      await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'STOP' });
      const err = await createTwilioSmsSender({ accountSid: wire.accountSid, authToken: wire.authToken, from: '+15005550006', apiUrl: wireUrl })
        .send({ to: '+15550100301', body: 'x', idempotencyKey: `twilio-hooks-${++seq}` })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ retryable: false, code: '21610' });
      await wire.sendInbound(inboundUrl, { from: '+15550100301', body: 'START' });
    });
  });
});

describeEachDb('Twilio webhooks behind a public address', (ctx) => {
  const wire = new TwilioWireServer();
  const PUBLIC = 'https://shop.example.com';
  let running: RunningApp;
  let unconfigured: RunningApp;

  beforeAll(async () => {
    await wire.start();
    await seedCustomers(ctx.db);
    running = await startApp(
      testAppConfig('twilio-public', { PUBLIC_URL: PUBLIC, TWILIO_ACCOUNT_SID: wire.accountSid, TWILIO_AUTH_TOKEN: wire.authToken, TWILIO_FROM: '+15005550006' }),
      { db: ctx.db, extensions: [twilioExtension], log: () => {} },
    );
    unconfigured = await startApp(testAppConfig('twilio-off'), { db: ctx.db, extensions: [twilioExtension], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await unconfigured?.stop();
    await wire.stop();
  });

  const stopped = async (id: string) => (await loadPreferences(ctx.db, id)).smsStoppedAt !== null;

  it('verifies against PUBLIC_URL plus the path and query as received, never the address the request came in on', async () => {
    const local = `${running.url}${INBOUND}?store=eu`;
    const ok = await wire.sendInbound(`${PUBLIC}${INBOUND}?store=eu`, { from: '+15550100301', body: 'STOP' }, { deliverTo: local });
    expect(ok.status).toBe(200);
    expect(await stopped('c-tw-ana')).toBe(true);
    await wire.sendInbound(`${PUBLIC}${INBOUND}`, { from: '+15550100301', body: 'START' }, { deliverTo: `${running.url}${INBOUND}` });
    expect(await stopped('c-tw-ana')).toBe(false);

    // Signed over the address it was delivered to (what a Host-header check would rebuild): refused.
    const viaHost = await wire.sendInbound(local, { from: '+15550100301', body: 'STOP' });
    // Signed without the query it arrived with: refused.
    const noQuery = await wire.sendInbound(`${PUBLIC}${INBOUND}`, { from: '+15550100301', body: 'STOP' }, { deliverTo: local });
    expect([viaHost.status, noQuery.status]).toEqual([403, 403]);
    expect(await stopped('c-tw-ana')).toBe(false);
  });

  it("accepts the public URL signed with the scheme's standard port, and refuses another port", async () => {
    const deliverTo = `${running.url}${INBOUND}`;
    const withPort = await wire.sendInbound(`https://shop.example.com:443${INBOUND}`, { from: '+15550100302', body: 'STOP' }, { deliverTo });
    expect(withPort.status).toBe(200);
    expect(await stopped('c-tw-ben')).toBe(true);
    const otherPort = await wire.sendInbound(`https://shop.example.com:8443${INBOUND}`, { from: '+15550100302', body: 'START' }, { deliverTo });
    expect(otherPort.status).toBe(403);
    expect(await stopped('c-tw-ben')).toBe(true);
    await wire.sendInbound(`${PUBLIC}${INBOUND}`, { from: '+15550100302', body: 'START' }, { deliverTo });
  });

  it('without TWILIO_AUTH_TOKEN both doors refuse everything with 403', async () => {
    const stored = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_inbound')).rows[0]!.n;
    const inbound = await wire.sendInbound(`${unconfigured.url}${INBOUND}`, { from: '+15550100301', body: 'STOP' });
    const status = await wire.sendStatusCallback('SM' + 'e'.repeat(32), 'delivered', { signedUrl: `${unconfigured.url}${STATUS}` });
    expect([inbound.status, status.status]).toEqual([403, 403]);
    expect(JSON.parse(inbound.text).code).toBe('twilio_not_configured');
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_inbound')).rows[0]!.n).toBe(stored);
    expect(await stopped('c-tw-ana')).toBe(false);
  });
});
