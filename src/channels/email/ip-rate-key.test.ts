import { describe, expect, it } from 'vitest';
import { ipRateKey } from './ip-rate-key.js';

describe('ipRateKey', () => {
  it('keys IPv4 by address, also IPv4-mapped', () => {
    expect(ipRateKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipRateKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('keys IPv6 by its /64, however it is written', () => {
    expect(ipRateKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(ipRateKey('2001:0DB8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(ipRateKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipRateKey('::1')).toBe('0:0:0:0::/64');
    expect(ipRateKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
