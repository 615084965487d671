import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDns, type DkimIdentity } from '../../../test/email/test-dns.js';
import { authenticateAtFirstHop, checkFirstHop } from './first-hop-authentication.js';
import { parseRawEmail } from './parse-raw-email.js';

const dns = createTestDns();
const options = { authservId: 'shop.example', resolver: dns.resolver };
const hop = (mailFrom: string, ip = '192.0.2.10') => ({ ip, helo: 'mail.sender.example', mailFrom });

async function compose(from: string, extra: { dkim?: DkimIdentity; headers?: Record<string, string> } = {}): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail({ from, to: 'support@shop.example', subject: 'Hi', text: 'Where is my order?', messageId: `<${Math.random()}@x>`, ...extra });
  return info.message as Buffer;
}

describe('the first-hop sender check', () => {
  beforeAll(() => {
    dns.signingDomain('signed.example');
    dns.signingDomain('nodmarc.example', { dmarc: false });
    dns.publishTxt('spf.example', 'v=spf1 ip4:192.0.2.10 -all');
    dns.publishTxt('evil.example', 'v=spf1 ip4:192.0.2.10 -all');
  });

  it('passes DMARC for mail signed with the key the From domain publishes', async () => {
    const raw = await compose('a@signed.example', { dkim: dns.signingDomain('signed.example') });
    const { auth, header } = await checkFirstHop(raw, 'a@signed.example', hop('a@signed.example'), options);
    expect(auth).toMatchObject({ verified: true, reason: 'DMARC pass for signed.example', dkim: 'pass', dmarc: 'pass' });
    expect(header).toMatch(/^shop\.example;/);
    expect(header).toMatch(/dkim=pass/);
  });

  it('counts an aligned DKIM or SPF pass when the domain publishes no DMARC record', async () => {
    const signed = await compose('a@nodmarc.example', { dkim: dns.signingDomain('nodmarc.example') });
    expect((await checkFirstHop(signed, 'a@nodmarc.example', hop('a@nodmarc.example'), options)).auth).toMatchObject({
      verified: true,
      reason: 'DKIM pass aligned with nodmarc.example',
    });
    const unsigned = await compose('a@spf.example');
    expect((await checkFirstHop(unsigned, 'a@spf.example', hop('bounce@spf.example'), options)).auth).toMatchObject({
      verified: true,
      reason: 'SPF pass aligned with spf.example',
    });
    expect((await checkFirstHop(unsigned, 'a@spf.example', hop('bounce@spf.example', '198.51.100.7'), options)).auth.verified).toBe(false);
  });

  it('does not count passes for another domain, or an unsigned mail from a DMARC domain', async () => {
    const forged = await compose('a@signed.example', { dkim: { ...dns.signingDomain('nodmarc.example') } });
    const forgedAuth = (await checkFirstHop(forged, 'a@signed.example', hop('x@evil.example'), options)).auth;
    expect(forgedAuth).toMatchObject({ verified: false, dmarc: 'fail', spf: 'fail', dkim: 'fail' });
    const unsigned = await compose('a@signed.example');
    expect((await checkFirstHop(unsigned, 'a@signed.example', hop('a@signed.example'), options)).auth).toMatchObject({ verified: false, dmarc: 'fail' });
    const nothing = await compose('a@nowhere.example');
    expect((await checkFirstHop(nothing, 'a@nowhere.example', hop('a@nowhere.example'), options)).auth).toMatchObject({
      verified: false,
      reason: 'no SPF, DKIM or DMARC pass for nowhere.example (spf=none dkim=none dmarc=none)',
    });
  });

  it('refuses a mail with several From addresses', async () => {
    const raw = await compose('a@signed.example, b@evil.example', { dkim: dns.signingDomain('signed.example') });
    expect((await checkFirstHop(raw, 'a@signed.example', hop('a@signed.example'), options)).auth.verified).toBe(false);
  });

  it('removes every Authentication-Results claiming our id, puts ours on top and attaches the verdict', async () => {
    const raw = await compose('a@signed.example', {
      headers: { 'Authentication-Results': 'Shop.Example; dkim=pass header.d=signed.example; dmarc=pass header.from=signed.example', 'X-Other': '1' },
    });
    const parsed = await parseRawEmail(raw, { source: 'smtp', maxBytes: 1_000_000 });
    parsed.headers['authentication-results']!.push('mx.elsewhere.example; spf=pass');
    const stamped = await authenticateAtFirstHop(parsed, raw, hop('a@signed.example'), options);
    const values = stamped.headers['authentication-results']!;
    expect(values).toHaveLength(2);
    expect(values[0]).toMatch(/^shop\.example;.*dmarc=fail/);
    expect(values[1]).toBe('mx.elsewhere.example; spf=pass');
    expect(stamped.senderAuth).toMatchObject({ verified: false, dmarc: 'fail' });
  });
});
