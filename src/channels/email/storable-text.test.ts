import { describe, expect, it } from 'vitest';
import type { InboundEmail } from './inbound-email.js';
import { storableEmail, storableText } from './storable-text.js';

describe('storableText', () => {
  it('drops NUL characters, which PostgreSQL refuses in text and jsonb', () => {
    expect(storableText('a\u0000b\u0000\u0000c')).toBe('abc');
  });

  it('replaces lone surrogates, which jsonb refuses, and keeps real astral characters', () => {
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('ok 📦')).toBe('ok 📦');
  });
});

describe('storableEmail', () => {
  it('cleans every string of a mail: subject, text, names, addresses, header names and values, attachment names', () => {
    const mail: InboundEmail = {
      source: 'webhook',
      messageId: '<a\u0000@x>',
      from: { address: 'a\u0000@x.com', name: 'Al\u0000ice' },
      to: ['support@shop.example\u0000'],
      subject: 'Sub\u0000ject',
      date: new Date(0).toISOString(),
      inReplyTo: null,
      references: ['<r\u0000@x>'],
      text: 'bo\u0000dy \ud83d',
      headers: { 'x-n\u0000': ['v\u0000'] },
      envelopeFrom: null,
      attachments: [{ filename: 'f\u0000.pdf', contentType: 'application/pdf', size: 1 }],
      sizeBytes: 10,
    };
    const clean = storableEmail(mail);
    expect(JSON.stringify(clean)).not.toMatch(/\\u0000|\\ud83d/);
    expect(clean).toMatchObject({
      messageId: '<a@x>',
      from: { address: 'a@x.com', name: 'Alice' },
      to: ['support@shop.example'],
      subject: 'Subject',
      references: ['<r@x>'],
      text: 'body \ufffd',
      headers: { 'x-n': ['v'] },
      attachments: [{ filename: 'f.pdf' }],
      envelopeFrom: null,
      sizeBytes: 10,
    });
  });
});
