import { describe, expect, it } from 'vitest';
import { trackingLink } from './tracking-link.js';

describe('trackingLink', () => {
  const sandbox = 'http://127.0.0.1:3000/tracking/{tracking}';

  it('uses the carrier page for a known carrier', () => {
    expect(trackingLink('UPS', '1Z999AA10123456784', sandbox)).toBe('https://www.ups.com/track?tracknum=1Z999AA10123456784');
    expect(trackingLink('fedex', '123456789012', sandbox)).toBe('https://www.fedex.com/fedextrack/?trknbr=123456789012');
  });

  it('uses the configured pattern for the sandbox carrier, unknown carriers and none', () => {
    expect(trackingLink('sandbox', 'SBX 1/2', sandbox)).toBe('http://127.0.0.1:3000/tracking/SBX%201%2F2');
    expect(trackingLink(null, '843733', sandbox)).toBe('http://127.0.0.1:3000/tracking/843733');
  });
});
