import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { ShippoCarrier } from '../../src/connectors/carriers/shippo-carrier.js';
import { CarrierError, SERVICE_LEVELS, type Carrier, type Rate, type RateRequest } from '../../src/domain/shipping/carrier.js';
import { collectRates, quoteCheapest, shopRates } from '../../src/domain/shipping/rate-shopping.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { ShippoWireServer } from '../support/shippo-wire-server.js';

const request: RateRequest = {
  from: { address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US' },
  to: { address1: '2 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US' },
  parcel: { weightGrams: 1500, lengthMm: 300, widthMm: 200, heightMm: 150 },
  reference: 'shp_shop_1',
};
// A Monday afternoon.
const shipDate = new Date('2026-03-02T15:00:00Z');
const rank = (r: Rate) => SERVICE_LEVELS.indexOf(r.serviceLevel);
// Wire carriers give every quote a new id, so rates are compared by what they offer.
const offer = (r: Rate | null | undefined) => r && `${r.account}/${r.carrier}/${r.service}/${r.amount}`;
const cheapest = (rates: Rate[]) => [...rates].sort((a, b) => a.amount - b.amount)[0];

describe('rate shopping across the sandbox, EasyPost and Shippo', () => {
  const easypostServer = new EasyPostWireServer('EZTKshop');
  const shippoServer = new ShippoWireServer('shippo_test_shop');
  let carriers: Carrier[];
  let all: Rate[];

  beforeAll(async () => {
    const [e, s] = await Promise.all([easypostServer.start(), shippoServer.start()]);
    carriers = [
      new SandboxCarrier(),
      new EasyPostCarrier({ apiKey: 'EZTKshop', apiUrl: e, timeoutMs: 2000 }),
      new ShippoCarrier({ apiToken: 'shippo_test_shop', apiUrl: s, timeoutMs: 2000 }),
    ];
    all = (await collectRates(carriers, request)).rates;
  });
  afterAll(() => Promise.all([easypostServer.stop(), shippoServer.stop()]));

  it('without a promise, picks the cheapest rate at the level or faster and says why the others lost', async () => {
    const result = await shopRates({ carriers, request, serviceLevel: 'standard', promisedBy: null, shipDate });
    const expected = cheapest(all.filter((r) => rank(r) >= SERVICE_LEVELS.indexOf('standard')))!;
    expect(offer(result.chosen)).toBe(offer(expected));
    expect(new Set(result.considered.map((c) => c.rate.account))).toEqual(new Set(['sandbox', 'easypost', 'shippo']));
    const economy = result.considered.filter((c) => c.rate.serviceLevel === 'economy');
    expect(economy.length).toBeGreaterThan(0);
    for (const c of economy) expect(c).toMatchObject({ verdict: 'rejected', reason: "economy is slower than the order's standard" });
    expect(result.considered.filter((c) => c.verdict === 'chosen')).toHaveLength(1);
    expect(result.explanation).toContain(`${expected.service} at ${expected.amount.toFixed(2)} USD`);
    expect(result.failures).toEqual([]);
  });

  it('with a promise two business days out, only rates that arrive by then compete', async () => {
    const promisedBy = new Date('2026-03-04T23:59:59Z');
    const result = await shopRates({ carriers, request, serviceLevel: 'standard', promisedBy, shipDate });
    const onTime = all.filter((r) => rank(r) >= 1 && r.transitDays !== null && r.transitDays <= 2);
    expect(offer(result.chosen)).toBe(offer(cheapest(onTime)));
    const late = result.considered.filter((c) => c.reason.includes('after the promise of 2026-03-04'));
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((c) => c.verdict === 'rejected' && c.rate.transitDays! > 2)).toBe(true);
    expect(result.explanation).toMatch(/arrives 2026-03-0[34], by the promise/);
  });

  it('counts business days: shipped on a Friday, two days in transit arrive on Tuesday', async () => {
    const friday = new Date('2026-03-06T15:00:00Z');
    const monday = await shopRates({ carriers, request, serviceLevel: 'expedited', promisedBy: new Date('2026-03-09T23:00:00Z'), shipDate: friday });
    expect(monday.chosen?.transitDays).toBe(1);
    const tuesday = await shopRates({ carriers, request, serviceLevel: 'expedited', promisedBy: new Date('2026-03-10T23:00:00Z'), shipDate: friday });
    expect(tuesday.chosen?.transitDays).toBeLessThanOrEqual(2);
    expect(tuesday.chosen!.amount).toBeLessThan(monday.chosen!.amount);
  });

  it('when no rate keeps the promise, chooses none and names the fastest late one', async () => {
    const result = await shopRates({ carriers, request, serviceLevel: 'standard', promisedBy: shipDate, shipDate });
    expect(result.chosen).toBeNull();
    expect(result.fastestLate?.transitDays).toBe(1);
    expect(result.fastestLate?.amount).toBe(cheapest(all.filter((r) => r.transitDays === 1))!.amount);
    expect(result.explanation).toMatch(/^No rate meets standard by 2026-03-02/);
    expect(result.considered.every((c) => c.verdict === 'rejected')).toBe(true);
  });

  it('a failing carrier does not sink the others, and is named', async () => {
    easypostServer.fail((c) => c.path === '/shipments', { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'down' } } });
    const unreachable = new ShippoCarrier({ apiToken: 'x', apiUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const result = await shopRates({ carriers: [...carriers, unreachable], request, serviceLevel: 'standard', promisedBy: null, shipDate });
    expect(result.chosen).not.toBeNull();
    expect(result.chosen!.account).not.toBe('easypost');
    expect(result.failures.map((f) => f.account)).toEqual(['easypost', 'shippo']);
    expect(result.failures[0]).toMatchObject({ retryable: true, error: expect.stringMatching(/503/) });
    expect(result.explanation).toMatch(/Failed: easypost \(.*503.*\); shippo/);
  });

  it('quoteCheapest gives the cheapest rate at a level for a router, and throws only when every carrier failed', async () => {
    for (const level of SERVICE_LEVELS) {
      const rate = await quoteCheapest(carriers, request, level);
      expect(rate?.amount).toBe(cheapest(all.filter((r) => rank(r) >= SERVICE_LEVELS.indexOf(level)))!.amount);
    }
    const down = [new EasyPostCarrier({ apiKey: 'x', apiUrl: 'http://127.0.0.1:9', timeoutMs: 2000 })];
    await expect(quoteCheapest(down, request, 'standard')).rejects.toBeInstanceOf(CarrierError);
    expect(await quoteCheapest([], request, 'standard')).toBeNull();
  });
});
