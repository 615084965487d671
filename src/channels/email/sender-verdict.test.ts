import { describe, expect, it } from 'vitest';
import type { InboundEmail } from './inbound-email.js';
import { emailRequesterVerification } from './sender-authentication.js';
import { senderVerdict } from './sender-verdict.js';

const PASS = 'mx.shop.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com';
const ourPass = { verified: true, reason: 'DMARC pass for example.com', spf: 'none', dkim: 'pass', dmarc: 'pass' } as const;

function mail(source: InboundEmail['source'], authenticationResults: string[], senderAuth?: InboundEmail['senderAuth']): InboundEmail {
  return {
    source,
    messageId: '<m@example.com>',
    from: { address: 'jane@example.com', name: 'Jane' },
    to: ['support@shop.example'],
    subject: '',
    date: new Date().toISOString(),
    inReplyTo: null,
    references: [],
    text: '',
    headers: { 'authentication-results': authenticationResults },
    envelopeFrom: null,
    attachments: [],
    sizeBytes: 1,
    ...(senderAuth ? { senderAuth } : {}),
  };
}

describe('senderVerdict', () => {
  it('without EMAIL_AUTHSERV_ID believes only the SMTP door\'s own check', () => {
    expect(senderVerdict(mail('smtp', [PASS], ourPass), {})).toBe(ourPass);
    expect(senderVerdict(mail('smtp', [PASS]), {}).verified).toBe(false);
    for (const door of ['imap', 'webhook'] as const) {
      expect(senderVerdict(mail(door, [PASS], ourPass), {})).toMatchObject({ verified: false, reason: expect.stringContaining(`${door} door`) });
    }
  });

  it('behind an MX believes the topmost header with its id at every door, and nothing else', () => {
    for (const door of ['smtp', 'imap', 'webhook'] as const) {
      expect(senderVerdict(mail(door, [PASS]), { trustedAuthservId: 'mx.shop.example' }).verified).toBe(true);
      expect(senderVerdict(mail(door, [], ourPass), { trustedAuthservId: 'mx.shop.example' }).verified).toBe(false);
    }
  });

  it('words the verification an approval card shows', () => {
    expect(emailRequesterVerification(ourPass)).toEqual({ verified: true, summary: 'email, DMARC pass for example.com' });
    expect(emailRequesterVerification({ ...ourPass, verified: false, reason: 'DMARC fail for example.com' })).toEqual({
      verified: false,
      summary: 'email, unverified sender (DMARC fail for example.com)',
    });
  });
});
