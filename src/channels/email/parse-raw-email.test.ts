import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { EmailTooLargeError } from './email-too-large-error.js';
import { parseRawEmail } from './parse-raw-email.js';

function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

describe('parseRawEmail', () => {
  it('reads addresses, threading headers, text and attachment metadata', async () => {
    const raw = await compose({
      from: '"Jane Roe" <Jane.Roe@Example.com>',
      to: 'support@shop.example',
      cc: 'other@example.com',
      subject: 'Wo ist meine Bestellung? ✓',
      messageId: '<m2@example.com>',
      inReplyTo: '<m1@shop.example>',
      references: ['<m0@example.com>', '<m1@shop.example>'],
      text: 'Where is order #W1234567?\n',
      headers: { 'Authentication-Results': 'mx.shop.example; spf=pass smtp.mailfrom=example.com' },
      attachments: [{ filename: 'invoice.pdf', content: Buffer.alloc(300, 1), contentType: 'application/pdf' }],
    });
    const mail = await parseRawEmail(raw, { source: 'smtp', maxBytes: 1_000_000, envelopeFrom: 'jane.roe@example.com' });
    expect(mail.from).toEqual({ address: 'jane.roe@example.com', name: 'Jane Roe' });
    expect(mail.to).toEqual(['support@shop.example', 'other@example.com']);
    expect(mail.subject).toBe('Wo ist meine Bestellung? ✓');
    expect(mail.messageId).toBe('<m2@example.com>');
    expect(mail.inReplyTo).toBe('<m1@shop.example>');
    expect(mail.references).toEqual(['<m0@example.com>', '<m1@shop.example>']);
    expect(mail.text.trim()).toBe('Where is order #W1234567?');
    expect(mail.headers['authentication-results']).toEqual(['mx.shop.example; spf=pass smtp.mailfrom=example.com']);
    expect(mail.attachments).toEqual([{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 300 }]);
    expect(mail.envelopeFrom).toBe('jane.roe@example.com');
    expect(JSON.parse(JSON.stringify(mail))).toEqual(mail);
  });

  it('derives text from an HTML-only mail and invents a stable id when there is none', async () => {
    const raw = Buffer.from(
      'From: a@example.com\r\nTo: support@shop.example\r\nSubject: hi\r\nContent-Type: text/html\r\n\r\n<p>Hello <b>there</b></p>',
    );
    const first = await parseRawEmail(raw, { source: 'imap', maxBytes: 10_000 });
    const again = await parseRawEmail(raw, { source: 'imap', maxBytes: 10_000 });
    expect(first.text).toContain('Hello there');
    expect(first.messageId).toMatch(/^<sha256-[0-9a-f]{32}@no-message-id\.invalid>$/);
    expect(again.messageId).toBe(first.messageId);
    expect(first.envelopeFrom).toBeNull();
  });

  it('refuses a message over the size limit', async () => {
    const raw = await compose({ from: 'a@example.com', to: 'b@example.com', text: 'x'.repeat(5000) });
    await expect(parseRawEmail(raw, { source: 'smtp', maxBytes: 2000 })).rejects.toBeInstanceOf(EmailTooLargeError);
  });
});
