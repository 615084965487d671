import { describe, expect, it } from 'vitest';
import { assessSenderAuthentication, parseAuthenticationResults } from './authentication-results.js';

const policy = { policy: 'fail-when-both-fail' as const };

describe('parseAuthenticationResults', () => {
  it('reads methods, results and properties, ignoring comments', () => {
    const parsed = parseAuthenticationResults(
      'mx.google.com; dkim=pass (test mode) header.i=@Example.com header.s=s1; spf=softfail (google.com: domain of x) smtp.mailfrom=bounce@example.com; dmarc=pass (p=NONE) header.from=example.com',
    );
    expect(parsed?.authservId).toBe('mx.google.com');
    expect(parsed?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=softfail', 'dmarc=pass']);
    expect(parsed?.results[1]?.properties['smtp.mailfrom']).toBe('bounce@example.com');
  });

  it('accepts a version and "none"', () => {
    expect(parseAuthenticationResults('mx.example.org 1; none')?.results).toEqual([]);
    expect(parseAuthenticationResults('')).toBeNull();
  });
});

describe('assessSenderAuthentication', () => {
  const from = 'jane@example.com';

  it('treats a mail whose SPF and DKIM both failed as unverified', () => {
    const a = assessSenderAuthentication(['mx; spf=fail smtp.mailfrom=example.com; dkim=fail header.d=example.com'], from, policy);
    expect(a.verified).toBe(false);
    expect(a.reason).toMatch(/SPF and DKIM failed/);
  });

  it('accepts when one of them passes', () => {
    expect(assessSenderAuthentication(['mx; spf=fail; dkim=pass header.d=example.com'], from, policy).verified).toBe(true);
    expect(assessSenderAuthentication(['mx; spf=pass smtp.mailfrom=a@mail.example.com; dkim=none'], 'x@mail.example.com', policy).verified).toBe(true);
  });

  it('does not count a pass for another domain', () => {
    const a = assessSenderAuthentication(['mx; spf=pass smtp.mailfrom=evil.test; dkim=pass header.d=evil.test'], from, policy);
    expect(a).toMatchObject({ verified: false, spf: 'fail', dkim: 'fail' });
  });

  it('fails on DMARC fail and passes with no header under the default policy', () => {
    expect(assessSenderAuthentication(['mx; dmarc=fail header.from=example.com'], from, policy).verified).toBe(false);
    expect(assessSenderAuthentication([], from, policy).verified).toBe(true);
  });

  it('believes only the topmost header unless an authserv-id is configured', () => {
    const headers = ['mx.shop.example; spf=fail; dkim=fail', 'forged.example; spf=pass; dkim=pass'];
    expect(assessSenderAuthentication(headers, from, policy).verified).toBe(false);
    expect(assessSenderAuthentication([...headers].reverse(), from, { ...policy, trustedAuthservId: 'mx.shop.example' }).verified).toBe(false);
    expect(assessSenderAuthentication(headers, from, { ...policy, trustedAuthservId: 'other.example' }).verified).toBe(true);
  });

  it('require-pass wants a pass, off ignores everything', () => {
    expect(assessSenderAuthentication([], from, { policy: 'require-pass' }).verified).toBe(false);
    expect(assessSenderAuthentication(['mx; spf=none; dkim=none'], from, { policy: 'require-pass' }).verified).toBe(false);
    expect(assessSenderAuthentication(['mx; dkim=pass header.d=example.com'], from, { policy: 'require-pass' }).verified).toBe(true);
    expect(assessSenderAuthentication(['mx; spf=fail; dkim=fail'], from, { policy: 'off' }).verified).toBe(true);
  });
});
