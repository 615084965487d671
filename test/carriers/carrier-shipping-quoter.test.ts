import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import type { QuoteRequest } from '../../src/domain/routing/shipping-quoter.js';
import { carrierShippingQuoter } from '../../src/domain/shipping/carrier-shipping-quoter.js';
import { SERVICE_LEVELS } from '../../src/domain/shipping/carrier.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';

const near: QuoteRequest = {
  locationId: 'loc-nj',
  from: { country: 'USA', state: 'NJ', zip: '07105', latitude: null, longitude: null },
  to: { country: 'USA', state: 'NY', zip: '10001' },
  parcel: { weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 100 },
  serviceLevel: 'expedited',
};
const far: QuoteRequest = { ...near, locationId: 'loc-ca', from: { country: 'USA', state: 'CA', zip: '91761', latitude: null, longitude: null } };

describe("routing's carrier quoter", () => {
  const server = new EasyPostWireServer('EZTKquote');
  let apiUrl: string;
  beforeAll(async () => {
    apiUrl = await server.start();
  });
  afterAll(() => server.stop());

  it('answers per candidate with carrier rates at the service level or faster, nearer costing less', async () => {
    const [nearQuotes, farQuotes] = await carrierShippingQuoter([new SandboxCarrier()]).quote([near, far]);
    expect(nearQuotes!.length).toBeGreaterThan(0);
    for (const q of [...nearQuotes!, ...farQuotes!]) {
      expect(q.estimate).toBe(false);
      expect(q.carrier).not.toBe('estimate');
    }
    const cheapest = (qs: { amount: number }[]) => Math.min(...qs.map((q) => q.amount));
    expect(cheapest(nearQuotes!)).toBeLessThan(cheapest(farQuotes!));
    const sandbox = await new SandboxCarrier().rates({
      from: { address1: '', city: '', state: 'NJ', zip: '07105', country: 'USA' },
      to: { address1: '', city: '', state: 'NY', zip: '10001', country: 'USA' },
      parcel: near.parcel,
      reference: 'x',
    });
    const atLeastExpedited = sandbox.filter((r) => SERVICE_LEVELS.indexOf(r.serviceLevel) >= SERVICE_LEVELS.indexOf('expedited'));
    expect(nearQuotes!.map((q) => q.service).sort()).toEqual(atLeastExpedited.map((r) => r.service).sort());
  });

  it('keeps the answering carriers when one fails, and throws when all do so routing falls back to its estimate', async () => {
    const easypost = new EasyPostCarrier({ apiKey: 'EZTKquote', apiUrl, timeoutMs: 1000 });
    server.fail(() => true, { status: 500 }, 2);
    const [quotes] = await carrierShippingQuoter([new SandboxCarrier(), easypost]).quote([near]);
    expect(quotes!.length).toBeGreaterThan(0);
    await expect(carrierShippingQuoter([easypost]).quote([near])).rejects.toThrow(/easypost/);
  });

  it('gives up after its timeout instead of holding up the order', async () => {
    const easypost = new EasyPostCarrier({ apiKey: 'EZTKquote', apiUrl, timeoutMs: 10_000 });
    server.fail(() => true, 'timeout', 1);
    await expect(carrierShippingQuoter([easypost], { timeoutMs: 200 }).quote([near])).rejects.toThrow(/no quote within 200 ms/);
  });
});
