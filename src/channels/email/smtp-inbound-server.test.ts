import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEmail } from './inbound-email.js';
import { startSmtpInboundServer, type SmtpInboundServer } from './smtp-inbound-server.js';

describe('SMTP inbound server', () => {
  const received: InboundEmail[] = [];
  let failNext = false;
  let server: SmtpInboundServer;

  beforeAll(async () => {
    server = await startSmtpInboundServer({
      host: '127.0.0.1',
      port: 0,
      maxBytes: 20_000,
      accept: async (mail) => {
        if (failNext) {
          failNext = false;
          throw new Error('queue down');
        }
        received.push(mail);
      },
    });
  });
  afterAll(() => server.close());

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });

  it('accepts a mail sent by nodemailer and hands it on parsed', async () => {
    const info = await transport().sendMail({
      from: 'Jane <jane@example.com>',
      to: 'support@shop.example',
      subject: 'Where is my order',
      text: 'Order #W1',
      messageId: '<in-1@example.com>',
    });
    expect(info.accepted).toEqual(['support@shop.example']);
    const mail = received.find((m) => m.messageId === '<in-1@example.com>');
    expect(mail).toMatchObject({ source: 'smtp', envelopeFrom: 'jane@example.com', subject: 'Where is my order' });
    expect(mail?.from.address).toBe('jane@example.com');
  });

  it('refuses an oversized mail with 552', async () => {
    await expect(
      transport().sendMail({ from: 'a@example.com', to: 'support@shop.example', text: 'x'.repeat(40_000) }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('answers 451 when the mail cannot be handed on, so the sender retries', async () => {
    failNext = true;
    await expect(
      transport().sendMail({ from: 'a@example.com', to: 'support@shop.example', text: 'hello', messageId: '<in-2@example.com>' }),
    ).rejects.toMatchObject({ responseCode: 451 });
    expect(received.some((m) => m.messageId === '<in-2@example.com>')).toBe(false);
  });

  it('keeps the null sender of a bounce as an empty envelope address', async () => {
    await transport().sendMail({
      envelope: { from: '', to: ['support@shop.example'] },
      from: 'MAILER-DAEMON@mx.example.com',
      to: 'support@shop.example',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'bounce',
      messageId: '<bounce-1@mx.example.com>',
    });
    expect(received.find((m) => m.messageId === '<bounce-1@mx.example.com>')?.envelopeFrom).toBe('');
  });
});
