import { describe, expect, it } from 'vitest';
import type { RateRequest } from '../../domain/shipping/carrier.js';
import { SandboxCarrier, sandboxAddressDirectives, sandboxTrackingNumber } from './sandbox-carrier.js';

const request = (toZip: string, weightGrams = 900, address2?: string): RateRequest => ({
  from: { name: 'Warehouse', address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US' },
  to: { name: 'Ada', address1: '2 Main St', address2, city: 'Somewhere', state: 'XX', zip: toZip, country: 'US' },
  parcel: { weightGrams, lengthMm: 200, widthMm: 150, heightMm: 100 },
  reference: 'shp_1',
});

describe('SandboxCarrier', () => {
  it('prices by zone and weight, one service per level, the same every time', async () => {
    const carrier = new SandboxCarrier();
    const near = await carrier.rates(request('10001'));
    const far = await carrier.rates(request('94103'));
    const heavy = await carrier.rates(request('10001', 9000));
    expect(near.map((r) => r.serviceLevel)).toEqual(['economy', 'standard', 'expedited', 'overnight']);
    expect(await carrier.rates(request('10001'))).toEqual(near);
    near.forEach((rate, i) => {
      expect(far[i]!.amount).toBeGreaterThan(rate.amount);
      expect(heavy[i]!.amount).toBeGreaterThan(rate.amount);
      expect(far[i]!.transitDays!).toBeGreaterThanOrEqual(rate.transitDays!);
    });
    expect(near[1]).toMatchObject({ service: 'Sandbox Ground', amount: 8.25, transitDays: 2 });
  });

  it('charges international parcels as zone 9 with a surcharge', async () => {
    const carrier = new SandboxCarrier();
    const abroad = await carrier.rates({ ...request('10001'), to: { address1: '1 Rue', city: 'Paris', state: '', zip: '75001', country: 'FR' } });
    expect(abroad[0]).toMatchObject({ amount: 23.45, transitDays: 12 });
  });

  it('reads delay, exception and return directives off the address lines', () => {
    expect(sandboxAddressDirectives(request('1', 1, 'SANDBOX DELAY 48H').to)).toMatchObject({ delayHours: 48, exception: null });
    expect(sandboxAddressDirectives(request('1', 1, 'sandbox-exception').to).exception).toMatch(/Address/);
    expect(sandboxAddressDirectives(request('1', 1, 'SANDBOX RETURN').to).returnToSender).toBe(true);
  });

  it('derives the tracking number from the idempotency key alone', () => {
    expect(sandboxTrackingNumber('k1')).toBe(sandboxTrackingNumber('k1'));
    expect(sandboxTrackingNumber('k1')).not.toBe(sandboxTrackingNumber('k2'));
    expect(sandboxTrackingNumber('k1')).toMatch(/^SBX\d{18}$/);
  });

  it('makes a PDF label', async () => {
    const carrier = new SandboxCarrier();
    const [rate] = await carrier.rates(request('10001'));
    const label = await carrier.buyLabel({ rate: rate!, request: request('10001'), idempotencyKey: 'pdf-1' });
    expect(label.labelPdf!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(label.labelPdf!.includes(Buffer.from('%%EOF'))).toBe(true);
  });
});
