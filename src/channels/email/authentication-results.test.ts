import { describe, expect, it } from 'vitest';
import { assessAuthenticationResults, parseAuthenticationResults, writtenBy } from './authentication-results.js';

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

describe('assessAuthenticationResults', () => {
  const from = 'jane@example.com';
  const MX = 'mx.shop.example';
  const assess = (headers: string[], address = from) => assessAuthenticationResults(headers, address, MX);

  it('treats a mail with no header from the trusted MTA as unverified', () => {
    expect(assess([])).toMatchObject({ verified: false, reason: 'no Authentication-Results from mx.shop.example' });
    expect(assess(['forged.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com']).verified).toBe(false);
  });

  it('believes only the topmost header with the trusted id, so a forged pass below a real fail loses', () => {
    const real = `${MX}; spf=fail smtp.mailfrom=example.com; dkim=fail header.d=example.com; dmarc=fail header.from=example.com`;
    const forged = `${MX}; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com`;
    expect(assess([real, forged]).verified).toBe(false);
    expect(assess([forged, real]).verified).toBe(true);
    expect(assess(['other.example; dmarc=fail', forged]).verified).toBe(true);
  });

  it('counts DMARC pass, or SPF/DKIM passes aligned with the From domain', () => {
    expect(assess([`${MX}; dmarc=pass header.from=example.com`])).toMatchObject({ verified: true, reason: 'DMARC pass for example.com' });
    expect(assess([`${MX}; spf=fail; dkim=pass header.d=example.com`])).toMatchObject({ verified: true, reason: 'DKIM pass aligned with example.com' });
    expect(assess([`${MX}; spf=pass smtp.mailfrom=bounce@mail.example.com; dkim=none`])).toMatchObject({ verified: true, reason: 'SPF pass aligned with example.com' });
  });

  it('does not count a pass for another domain, a pass naming no domain, or a DMARC fail', () => {
    expect(assess([`${MX}; spf=pass smtp.mailfrom=evil.test; dkim=pass header.d=evil.test`])).toMatchObject({ verified: false, spf: 'fail', dkim: 'fail' });
    expect(assess([`${MX}; spf=pass; dkim=pass`]).verified).toBe(false);
    expect(assess([`${MX}; dkim=pass header.d=example.com; dmarc=fail header.from=example.com`]).verified).toBe(false);
    // A parent-domain signature does not vouch for a sibling under the same parent.
    expect(assess([`${MX}; dkim=pass header.d=example.com`], 'x@other.com').verified).toBe(false);
  });
});

describe('writtenBy', () => {
  it('tells whether a header claims an authserv-id, whatever the case', () => {
    expect(writtenBy('Shop.Example; dkim=pass', 'shop.example')).toBe(true);
    expect(writtenBy('mx.other; dkim=pass', 'shop.example')).toBe(false);
  });
});
