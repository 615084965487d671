import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { emailExtension } from '../../src/channels/email/email-extension.js';
import { loadConfig } from '../../src/config/config.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openTestDb } from '../support/test-db.js';

/** `npm start` with nothing configured for email: SMTP in on SMTP_PORT, replies as .eml files. */
describe('email as part of the running service', () => {
  let running: RunningApp | undefined;
  afterAll(async () => {
    await running?.stop();
    await running?.db.close();
  });

  it('answers a mail sent to the SMTP port with an .eml reply in DATA_DIR/outbox', async () => {
    const db = await openTestDb('pglite');
    await seedAgentFixture(db);
    const dataDir = mkdtempSync(join(tmpdir(), 'orderops-email-app-'));
    const lines: string[] = [];
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', SMTP_PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false' });
    running = await startApp(config, { db, extensions: [emailExtension], log: (l) => lines.push(l) });
    const line = lines.find((l) => l.startsWith('email: SMTP in on'));
    expect(line).toMatch(/IMAP off/);
    expect(line).toMatch(/webhook POST \/webhooks\/email\/inbound off/);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line ?? '')?.[1]);

    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'Dan Kim <dan.kim@example.com>', to: config.SUPPORT_EMAIL, subject: 'status', text: 'Where is my order W4000002?', messageId: '<app-1@example.com>' });
    await running.queue.drain();
    const files = readdirSync(join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const reply = await simpleParser(readFileSync(join(dataDir, 'outbox', files[0]!)));
    expect(reply.inReplyTo).toBe('<app-1@example.com>');
    expect(reply.text).toContain('#W4000002');

    const webhook = await fetch(`${running.url}/webhooks/email/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(webhook.status).toBe(503);
  });
});
