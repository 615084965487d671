import { describe, expect, it } from 'vitest';
import { trackingLink } from './tracking-link.js';

describe('trackingLink', () => {
  const ownPage = 'https://shop.example/track/I1cxMDAwMDAz.abc';

  it('uses the carrier page for a known carrier, whatever the case of its name', () => {
    expect(trackingLink('UPS', '1Z999AA10123456784', ownPage)).toBe('https://www.ups.com/track?tracknum=1Z999AA10123456784');
    expect(trackingLink(' fedex ', '123456789012', ownPage)).toBe('https://www.fedex.com/fedextrack/?trknbr=123456789012');
    expect(trackingLink('usps', 'SBX 1/2', ownPage)).toBe('https://tools.usps.com/go/TrackConfirmAction?tLabels=SBX%201%2F2');
  });

  it("uses the order's own tracking page for the sandbox carrier, unknown carriers and none", () => {
    expect(trackingLink('sandbox', 'SBX 1/2', ownPage)).toBe(ownPage);
    expect(trackingLink('Acme Freight', '843733', ownPage)).toBe(ownPage);
    expect(trackingLink(null, '843733', ownPage)).toBe(ownPage);
  });
});
