import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEmail } from './inbound-email.js';
import { startSmtpInboundServer, type SmtpInboundServer } from './smtp-inbound-server.js';
import type { UnparseableEmail } from './unparseable-email.js';

describe('SMTP inbound server', () => {
  const received: InboundEmail[] = [];
  const kept: UnparseableEmail[] = [];
  let failNext = false;
  let server: SmtpInboundServer;

  beforeAll(async () => {
    server = await startSmtpInboundServer({
      host: '127.0.0.1',
      port: 0,
      maxBytes: 200_000,
      recipients: ['support@shop.example', 'Help@Shop.example'],
      unparseable: async (mail) => void kept.push(mail),
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
      transport().sendMail({ from: 'a@example.com', to: 'support@shop.example', text: 'x'.repeat(400_000) }),
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

  it('refuses any recipient but the support address and its aliases with 550 at RCPT TO', async () => {
    await expect(transport().sendMail({ from: 'a@example.com', to: 'ceo@shop.example', text: 'hi' })).rejects.toMatchObject({ responseCode: 550 });
    const info = await transport().sendMail({ from: 'a@example.com', to: ['help@shop.example', 'x@elsewhere.example'], text: 'hi', messageId: '<alias@example.com>' });
    expect(info.accepted).toEqual(['help@shop.example']);
    expect(info.rejected).toEqual(['x@elsewhere.example']);
    expect(received.some((m) => m.messageId === '<alias@example.com>')).toBe(true);
  });

  it('answers 554, not 451, to a mail the parser refuses, after handing it over to be kept', async () => {
    let raw = 'From: Odd <odd@example.com>\r\nTo: support@shop.example\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n';
    for (let i = 0; i < 1001; i++) raw += `--p\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`;
    raw += '--p--\r\n';
    await expect(transport().sendMail({ envelope: { from: 'bounce@example.com', to: ['support@shop.example'] }, raw })).rejects.toMatchObject({ responseCode: 554 });
    expect(kept.at(-1)).toMatchObject({ source: 'smtp', outcome: 'unparseable', from: 'bounce@example.com', to: ['support@shop.example'], subject: 'many' });
    expect(kept.at(-1)!.raw!.toString()).toBe(raw);
  });
});

describe('SMTP inbound server per-IP limits', () => {
  it('defers messages over the limit with 451 and refuses connections over it with 421', async () => {
    const received: string[] = [];
    const server = await startSmtpInboundServer({
      host: '127.0.0.1',
      port: 0,
      maxBytes: 20_000,
      recipients: ['support@shop.example'],
      perIpPerMinute: { connections: 3, messages: 3 },
      unparseable: async () => {},
      accept: async (mail) => void received.push(mail.messageId),
    });
    try {
      // One connection, several messages: the message limit applies per MAIL FROM.
      const pooled = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
      const codes: (number | undefined)[] = [];
      for (const i of [1, 2, 3, 4]) {
        codes.push(await pooled.sendMail({ from: 'a@example.com', to: 'support@shop.example', text: 'x', messageId: `<ip-${i}@example.com>` }).then(() => 250, (e: { responseCode?: number }) => e.responseCode));
      }
      pooled.close();
      expect(codes).toEqual([250, 250, 250, 451]);
      expect(received).toEqual(['<ip-1@example.com>', '<ip-2@example.com>', '<ip-3@example.com>']);
      const connect = () => nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true }).verify().then(() => 'ok', (e: { responseCode?: number }) => e.responseCode);
      // The pooled transport used one connection: two more are allowed, then 421.
      expect([await connect(), await connect(), await connect()]).toEqual(['ok', 'ok', 421]);
    } finally {
      await server.close();
    }
  });
});
