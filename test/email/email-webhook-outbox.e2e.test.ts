import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentService } from '../../src/agent/agent-service.js';
import { createEmailChannel, type EmailChannel } from '../../src/channels/email/email-channel.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { notificationLinks } from '../../src/notifications/notification-links.js';
import { buildServer } from '../../src/server/build-server.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openTestDb } from '../support/test-db.js';

/**
 * The provider webhook door on the real HTTP server, with nothing configured for outbound mail:
 * replies land as .eml files under DATA_DIR/outbox/.
 */
describe('inbound webhook to .eml outbox', () => {
  let db: Db;
  let queue: JobQueue;
  let email: EmailChannel;
  let server: FastifyInstance;
  let baseUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-outbox-'));

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, EMAIL_INBOUND_SECRET: 'hook-secret', SUPPORT_EMAIL: 'help@shop.example' });
    queue = createInProcessQueue();
    email = createEmailChannel({ db, config, queue, trackingPage: notificationLinks('http://127.0.0.1:3000', 'outbox-test-signing-secret').trackingPage, log: () => {} });
    email.attach(createAgentService({ db, config, notifier: email.approvalNotifier }));
    server = buildServer({ db, config, queue, routes: [email.routes] });
    await queue.start();
    await server.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await email?.stop();
    await queue?.close();
    await db?.close();
  });

  const post = (body: unknown, secret: string) =>
    fetch(`${baseUrl}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`postmark:${secret}`).toString('base64')}` },
      body: JSON.stringify(body),
    });

  const postmark = (messageId: string) => ({
    From: 'alice.ng@example.com',
    FromName: 'Alice Ng',
    FromFull: { Email: 'alice.ng@example.com', Name: 'Alice Ng', MailboxHash: '' },
    To: 'help@shop.example',
    ToFull: [{ Email: 'help@shop.example', Name: '', MailboxHash: '' }],
    Subject: 'Tracking for W1000006?',
    MessageID: 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817',
    Date: 'Mon, 2 Jun 2025 09:00:00 +0000',
    TextBody: 'Hello, can I get the tracking number for W1000006?',
    HtmlBody: '',
    Headers: [
      { Name: 'Message-ID', Value: messageId },
      // Written by the sender: without EMAIL_AUTHSERV_ID nothing at this door vouches for it.
      { Name: 'Authentication-Results', Value: 'help.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com' },
    ],
    Attachments: [],
  });

  it('answers a Postmark inbound mail with a threaded .eml reply in the outbox', async () => {
    expect((await post(postmark('<hook-1@mail.example.com>'), 'wrong')).status).toBe(401);
    const res = await post(postmark('<hook-1@mail.example.com>'), 'hook-secret');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted', messageId: '<hook-1@mail.example.com>' });
    await queue.drain();
    const files = readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(dataDir, 'outbox', files[0]!)));
    expect(mail.inReplyTo).toBe('<hook-1@mail.example.com>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined).toBe('alice.ng@example.com');
    expect(mail.from?.value[0]?.address).toBe('help@shop.example');
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text).toContain('TRK1000006');
    expect(mail.messageId).toMatch(/@shop\.example>$/);
    expect((await email.store.getMessage('<hook-1@mail.example.com>'))?.senderVerified).toBe(false);
  });

  it('takes a mail with NUL characters through the real server (stripped, not refused), and checks the secret first', async () => {
    const withNul = { ...postmark('<hook-nul@mail.example.com>'), Subject: 'Tracking\u0000 for W1000006?', TextBody: 'Tracking\u0000 please, W1000006' };
    expect((await post(withNul, 'wrong')).status).toBe(401);
    const res = await post(withNul, 'hook-secret');
    expect(res.status).toBe(200);
    await queue.drain();
    const stored = await email.store.getMessage('<hook-nul@mail.example.com>');
    expect(stored?.subject).toBe('Tracking for W1000006?');
  });
});
