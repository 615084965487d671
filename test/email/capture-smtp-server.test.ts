import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundMailer, type OutboundMailer } from '../../src/channels/email/outbound-mailer.js';
import { isRetryableMailError } from '../../src/notifications/retryable-mail-error.js';
import { startCaptureSmtpServer, type CaptureSmtpServer } from './capture-smtp-server.js';

const mail = (n: number) => ({
  from: { name: 'Shop', address: 'support@shop.example' },
  to: 'alice@example.com',
  subject: `Mail ${n}`,
  text: 'Hello',
  messageId: `<capture-${n}@shop.example>`,
  inReplyTo: null,
  references: [],
  headers: {},
});

describe('capture SMTP server going out of service', () => {
  let smtp: CaptureSmtpServer;
  let mailer: OutboundMailer;

  beforeAll(async () => {
    smtp = await startCaptureSmtpServer();
    // The product's own pooled mailer: what it sees is what the service sees.
    mailer = createOutboundMailer({ SMTP_URL: smtp.url, DATA_DIR: '/nonexistent' });
  });
  afterAll(async () => {
    await mailer?.close();
    await smtp?.close();
  });

  it('answers 421 to an open session and to a new connection while paused, a failure the sender retries, and accepts again after resume', async () => {
    await mailer.send(mail(1));
    smtp.pause();
    try {
      // The pooled connection opened for mail 1 is still up: its next command gets the 421.
      const onOpenSession = await mailer.send(mail(2)).catch((err: unknown) => err);
      expect(onOpenSession).toMatchObject({ responseCode: 421 });
      expect(isRetryableMailError(onOpenSession)).toBe(true);

      const fresh = nodemailer.createTransport({ url: smtp.url });
      const onConnect = await fresh.sendMail({ from: 'a@shop.example', to: 'b@example.com', text: 'x' }).catch((err: unknown) => err);
      fresh.close();
      expect(onConnect).toMatchObject({ responseCode: 421 });
      expect(String((onConnect as Error).message)).toMatch(/Service not available/);
      expect(smtp.refusals).toBeGreaterThanOrEqual(2);
    } finally {
      smtp.resume();
    }
    await mailer.send(mail(2));
    expect(smtp.messages.map((m) => m.parsed.messageId)).toEqual(['<capture-1@shop.example>', '<capture-2@shop.example>']);
  });
});
