import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLoggingAlertSink } from '../../src/anomaly/logging-alert-sink.js';
import { scoreOrder, type OrderScore } from '../../src/anomaly/score-order.js';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/domain/actor.js';
import { buildServer } from '../../src/server/build-server.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

/**
 * Synthetic attack streams through `POST /api/orders`: established customers with a settled
 * history (one device, one IP, one home address, a usual basket), then one more order each.
 * Account takeovers change several things at once; the benign look-alikes change one.
 */

interface Place {
  address1: string;
  city: string;
  state: string;
  zip: string;
}

const HOME: Record<string, Place> = {
  nyc: { address1: '350 5th Ave', city: 'New York', state: 'NY', zip: '10118' },
  boston: { address1: '1 City Hall Sq', city: 'Boston', state: 'MA', zip: '02201' },
  chicago: { address1: '233 S Wacker Dr', city: 'Chicago', state: 'IL', zip: '60606' },
  denver: { address1: '200 E Colfax Ave', city: 'Denver', state: 'CO', zip: '80203' },
  atlanta: { address1: '55 Trinity Ave SW', city: 'Atlanta', state: 'GA', zip: '30303' },
  seattle: { address1: '600 4th Ave', city: 'Seattle', state: 'WA', zip: '98104' },
  miami: { address1: '3500 Pan American Dr', city: 'Miami', state: 'FL', zip: '33133' },
  la: { address1: '200 N Spring St', city: 'Los Angeles', state: 'CA', zip: '90012' },
  houston: { address1: '901 Bagby St', city: 'Houston', state: 'TX', zip: '77002' },
  phoenix: { address1: '200 W Washington St', city: 'Phoenix', state: 'AZ', zip: '85003' },
};

interface Finale {
  /** The last order's device and IP: the customer's own unless given. */
  device?: string;
  ip?: string;
  shipTo?: Place;
  billTo?: Place;
  units?: number;
  avs?: string;
  cvv?: string;
}

interface Stream {
  name: string;
  kind: 'takeover' | 'benign';
  home: Place;
  /** Units in each earlier order (the usual basket, at $25 a unit; median $50). */
  usualUnits: number[];
  finale: Finale;
}

const usual = [2, 3, 2, 2, 3];

export const STREAMS: Stream[] = [
  {
    name: 'takeover: new device and IP, far new address, 7x basket',
    kind: 'takeover',
    home: HOME.nyc!,
    usualUnits: usual,
    finale: { device: 'dev-att-1', ip: '203.0.113.101', shipTo: HOME.la!, units: 14 },
  },
  {
    name: 'takeover: new device and IP, far new address, billing left at home, 6x basket',
    kind: 'takeover',
    home: HOME.boston!,
    usualUnits: usual,
    finale: { device: 'dev-att-2', ip: '203.0.113.102', shipTo: HOME.miami!, billTo: HOME.boston!, units: 12 },
  },
  {
    name: 'takeover: new device and IP, far new address, AVS and CVV mismatch',
    kind: 'takeover',
    home: HOME.chicago!,
    usualUnits: usual,
    finale: { device: 'dev-att-3', ip: '203.0.113.103', shipTo: HOME.houston!, units: 3, avs: 'N', cvv: 'N' },
  },
  {
    name: 'takeover: new device and IP, far new address, 10x basket, AVS mismatch',
    kind: 'takeover',
    home: HOME.denver!,
    usualUnits: usual,
    finale: { device: 'dev-att-4', ip: '203.0.113.104', shipTo: HOME.atlanta!, units: 20, avs: 'N', cvv: 'M' },
  },
  {
    name: 'takeover: new device and IP, 5x basket to a far new address',
    kind: 'takeover',
    home: HOME.seattle!,
    usualUnits: usual,
    finale: { device: 'dev-att-5', ip: '203.0.113.105', shipTo: HOME.phoenix!, units: 10 },
  },
  {
    name: 'benign: repeat customer moving house (new far address, billing moved too)',
    kind: 'benign',
    home: HOME.atlanta!,
    usualUnits: usual,
    finale: { shipTo: HOME.seattle!, billTo: HOME.seattle!, units: 3 },
  },
  {
    name: 'benign: repeat customer sending a gift to a new far address',
    kind: 'benign',
    home: HOME.miami!,
    usualUnits: usual,
    finale: { shipTo: HOME.chicago!, billTo: HOME.miami!, units: 2, avs: 'Y', cvv: 'M' },
  },
  {
    name: 'benign: a big but normal basket from home (8x)',
    kind: 'benign',
    home: HOME.houston!,
    usualUnits: usual,
    finale: { units: 16, avs: 'Y', cvv: 'M' },
  },
  {
    name: 'benign: new phone and network, shipping home as usual',
    kind: 'benign',
    home: HOME.phoenix!,
    usualUnits: usual,
    finale: { device: 'dev-new-phone', ip: '198.51.100.77', units: 2 },
  },
  {
    name: 'benign: a holiday order, 6x the usual basket, as a gift far away',
    kind: 'benign',
    home: HOME.la!,
    usualUnits: usual,
    finale: { shipTo: HOME.boston!, billTo: HOME.la!, units: 12 },
  },
];

const job: Actor = { kind: 'job', id: 'anomaly-detector' };
const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' });
const DAY = 86_400_000;

export interface StreamOutcome {
  name: string;
  kind: Stream['kind'];
  score: OrderScore;
}

describeEachDb('account-takeover attack streams', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-ato', [{ sku: 'ATO-TEE', price: '25.00', stock: { 'loc-east-wh': 5000, 'loc-west-wh': 5000 } }]);
    app = buildServer({ db: ctx.db, config });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const deps = { reviewScore: config.ANOMALY_REVIEW_SCORE, holdScore: config.ANOMALY_HOLD_SCORE, alerts: createLoggingAlertSink(null) };

  async function postAndScore(body: Record<string, unknown>): Promise<OrderScore> {
    const res = await app.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(res.statusCode, res.body).toBe(201);
    return scoreOrder(ctx.db, (res.json() as { order: { id: string } }).order.id, job, deps);
  }

  async function run(stream: Stream, index: number): Promise<StreamOutcome> {
    const email = `ato-${index}@example.com`;
    const device = `dev-own-${index}`;
    const ip = `192.0.2.${10 + index}`;
    const start = Date.now() - 200 * DAY;
    const order = (n: number, at: Date, f: Finale) => {
      const ship = f.shipTo ?? stream.home;
      return {
        channel: 'shopify',
        external_id: `ato-${index}-${n}`,
        placed_at: at.toISOString(),
        customer: { email, first_name: 'Stream', last_name: `Customer${index}`, created_at: new Date(start - 30 * DAY).toISOString() },
        shipping_address: { ...ship, country: 'USA' },
        billing_address: { ...(f.billTo ?? ship), country: 'USA' },
        lines: [{ sku: 'ATO-TEE', quantity: f.units ?? 2 }],
        payment: { method: 'card' },
        client: {
          device_id: f.device ?? device,
          browser_ip: f.ip ?? ip,
          ...(f.avs ? { avs_result: f.avs } : {}),
          ...(f.cvv ? { cvv_result: f.cvv } : {}),
        },
      };
    };
    for (const [n, units] of stream.usualUnits.entries()) {
      await postAndScore(order(n, new Date(start + n * 30 * DAY), { units }));
    }
    const score = await postAndScore(order(stream.usualUnits.length, new Date(start + 190 * DAY), stream.finale));
    return { name: stream.name, kind: stream.kind, score };
  }

  it('holds every takeover and holds none of the benign look-alikes, naming the signals', async () => {
    const outcomes: StreamOutcome[] = [];
    for (const [i, s] of STREAMS.entries()) outcomes.push(await run(s, i));
    const count = (kind: Stream['kind'], pick: (s: OrderScore) => boolean) => outcomes.filter((o) => o.kind === kind && pick(o.score)).length;
    const summary = {
      takeovers: count('takeover', () => true),
      takeoversHeld: count('takeover', (s) => s.decision === 'hold'),
      takeoversFlagged: count('takeover', (s) => s.decision !== 'pass'),
      benign: count('benign', () => true),
      benignHeld: count('benign', (s) => s.decision === 'hold'),
      benignFlagged: count('benign', (s) => s.decision !== 'pass'),
    };
    for (const o of outcomes) {
      console.log(`${o.score.decision.padEnd(6)} ${String(o.score.score).padStart(5)}  ${o.name}  [${o.score.fired.map((f) => f.code).join(', ')}]`);
    }
    console.log(`attack streams: ${JSON.stringify(summary)}`);
    expect(outcomes).toHaveLength(STREAMS.length);
    expect(summary.takeoversHeld).toBe(summary.takeovers);
    expect(summary.benignHeld).toBe(0);
    for (const o of outcomes.filter((x) => x.kind === 'takeover')) {
      expect(o.score.fired[0]!.code).toBe('account_takeover');
      expect(o.score.fired[0]!.reason).toMatch(/new device and new IP address/);
    }
    // One signal alone on a repeat customer is not even worth a look.
    for (const name of ['moving house', 'sending a gift', 'new phone']) {
      expect(outcomes.find((o) => o.name.includes(name))!.score.decision).toBe('pass');
    }
  });
});
