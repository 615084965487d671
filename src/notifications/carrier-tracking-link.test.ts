import { expect, it } from 'vitest';
import { carrierTrackingUrl } from './carrier-tracking-link.js';

const OURS = 'https://shop.example/track/abc.def';

it("links a known carrier's own page, however the adapter spells its name", () => {
  expect(carrierTrackingUrl('USPS', '9400 1000', OURS)).toBe('https://tools.usps.com/go/TrackConfirmAction?tLabels=9400%201000');
  expect(carrierTrackingUrl('dhl_express', 'JD01', OURS)).toBe('https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD01');
  expect(carrierTrackingUrl('FedEx', '7489', OURS)).toContain('fedex.com');
});

it('links our tracking page for the sandbox, an unknown carrier or no tracking number', () => {
  expect(carrierTrackingUrl('sandbox', 'SBX1', OURS)).toBe(OURS);
  expect(carrierTrackingUrl('Acme Couriers', 'A1', OURS)).toBe(OURS);
  expect(carrierTrackingUrl('UPS', null, OURS)).toBe(OURS);
  expect(carrierTrackingUrl(null, null, OURS)).toBe(OURS);
});
