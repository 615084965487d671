import { describe, expect, it } from 'vitest';
import { autoReplyBlocker } from './auto-reply-blocker.js';
import type { InboundEmail } from './inbound-email.js';

const options = { supportAddress: 'Support@shop.example' };

function mail(overrides: Partial<InboundEmail> = {}, headers: Record<string, string> = {}): InboundEmail {
  return {
    source: 'smtp',
    messageId: '<m@example.com>',
    from: { address: 'jane@example.com', name: 'Jane' },
    to: ['support@shop.example'],
    subject: 'where is my order',
    date: new Date(0).toISOString(),
    inReplyTo: null,
    references: [],
    text: 'hi',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])),
    envelopeFrom: 'jane@example.com',
    attachments: [],
    sizeBytes: 100,
    ...overrides,
  };
}

describe('autoReplyBlocker', () => {
  it('lets an ordinary customer mail through', () => {
    expect(autoReplyBlocker(mail(), options)).toBeNull();
    expect(autoReplyBlocker(mail({}, { 'Auto-Submitted': 'no' }), options)).toBeNull();
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, /Auto-Submitted/],
    [{ 'Auto-Submitted': 'auto-generated' }, /Auto-Submitted/],
    [{ 'X-Autoreply': 'yes' }, /autoresponder/],
    [{ 'X-Auto-Response-Suppress': 'All' }, /Suppress/],
    [{ Precedence: 'bulk' }, /Precedence: bulk/],
    [{ Precedence: 'list' }, /Precedence: list/],
    [{ 'List-Id': '<news.example.com>' }, /mailing list/],
    [{ 'List-Unsubscribe': '<mailto:u@example.com>' }, /mailing list/],
    [{ 'Return-Path': '<>' }, /bounce/],
    [{ 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' }, /multipart\/report/],
    [{ 'X-Loop': 'support@shop.example' }, /X-Loop/],
  ])('blocks %o', (headers, reason) => {
    expect(autoReplyBlocker(mail({}, headers), options)).toMatch(reason);
  });

  it('blocks bounces by null envelope sender and noreply or daemon senders', () => {
    expect(autoReplyBlocker(mail({ envelopeFrom: '' }), options)).toMatch(/bounce/);
    for (const address of ['noreply@shop.example', 'no-reply@a.com', 'do-not-reply@a.com', 'MAILER-DAEMON@mx.a.com', 'postmaster@a.com', 'bounce+123@a.com']) {
      expect(autoReplyBlocker(mail({ from: { address: address.toLowerCase(), name: '' } }), options)).toMatch(/no-reply/);
    }
    expect(autoReplyBlocker(mail({ from: { address: 'norene@a.com', name: '' } }), options)).toBeNull();
  });

  it('blocks our own From and a missing sender', () => {
    expect(autoReplyBlocker(mail({ from: { address: 'support@shop.example', name: '' } }), options)).toMatch(/our own/);
    expect(autoReplyBlocker(mail({ from: { address: '', name: '' } }), options)).toMatch(/no sender/);
  });
});
