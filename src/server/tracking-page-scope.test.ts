import { describe, expect, it } from 'vitest';
import { SAMPLE_VIEW } from '../../test/support/sample-tracking-view.js';
import { supportMailto, trackingPageScope } from './tracking-page-scope.js';

describe('trackingPageScope', () => {
  it('puts the newest scan first and leaves the view it was given as it was', () => {
    const scope = trackingPageScope(SAMPLE_VIEW, 'care@shop.example') as { shipments: { events: { detail: string; occurred_at: string }[]; carrier: string }[] };
    expect(scope.shipments[0]!.events.map((e) => e.detail)).toEqual(['Picked up', 'Label created']);
    expect(scope.shipments[0]!.events[0]!.occurred_at).toBe('2026-03-02T20:00:00.000Z');
    expect(scope.shipments[0]!.carrier).toBe('Sandbox');
    expect(SAMPLE_VIEW.shipments[0]!.events[0]!.detail).toBe('Label created');
  });

  it("links a known carrier's own tracking page, and none for the sandbox", () => {
    const ups = { ...SAMPLE_VIEW, shipments: [{ ...SAMPLE_VIEW.shipments[0]!, carrier: 'UPS', trackingNumber: '1Z 999' }] };
    const scope = (v: typeof SAMPLE_VIEW) => (trackingPageScope(v, 'care@shop.example') as { shipments: { carrier_url: string }[] }).shipments[0]!.carrier_url;
    expect(scope(ups)).toBe('https://www.ups.com/track?tracknum=1Z%20999');
    expect(scope(SAMPLE_VIEW)).toBe('');
  });

  it('mails support with the order number, percent-encoded, as the subject', () => {
    expect(supportMailto('care@shop.example', '#W1234567')).toBe('mailto:care@shop.example?subject=Question%20about%20order%20%23W1234567');
    expect(supportMailto('care@shop.example', 'A&B=1?')).toBe('mailto:care@shop.example?subject=Question%20about%20order%20A%26B%3D1%3F');
  });
});
