import { describe, expect, it } from 'vitest';
import { isTrustedRelay } from './is-trusted-relay.js';

describe('isTrustedRelay', () => {
  it('trusts only loopback when no relays are configured', () => {
    expect(isTrustedRelay('127.0.0.1', [])).toBe(true);
    expect(isTrustedRelay('::ffff:127.0.0.1', [])).toBe(true);
    expect(isTrustedRelay('::1', [])).toBe(true);
    expect(isTrustedRelay('10.0.0.5', [])).toBe(false);
  });

  it('trusts exactly the configured relays, whatever the IPv6 spelling of an IPv4 address', () => {
    expect(isTrustedRelay('::ffff:10.0.0.5', ['10.0.0.5'])).toBe(true);
    expect(isTrustedRelay('2001:DB8::1', ['2001:db8::1'])).toBe(true);
    expect(isTrustedRelay('127.0.0.1', ['10.0.0.5'])).toBe(false);
    expect(isTrustedRelay('10.0.0.6', ['10.0.0.5'])).toBe(false);
  });
});
