import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CarrierError,
  SERVICE_LEVELS,
  type Carrier,
  type Label,
  type RateRequest,
  type TrackingStatus,
  type WebhookRequest,
} from '../../src/domain/shipping/carrier.js';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { ShippoCarrier } from '../../src/connectors/carriers/shippo-carrier.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { ShippoWireServer } from '../support/shippo-wire-server.js';

type WebhookKind = 'valid' | 'forged' | 'unsigned' | 'stale';

/** One adapter under the contract, with what the suite needs to look behind it. */
interface Harness {
  carrier: Carrier;
  /** Labels bought, as the carrier itself counts them. */
  purchases(): Promise<number>;
  /** A tracking webhook for a parcel, moving it to in transit; `valid` is correctly signed and fresh. */
  webhook(trackingNumber: string, kind: WebhookKind): Promise<WebhookRequest>;
  /** Makes the next purchase reach the carrier but its answer never arrive (wire adapters only). */
  loseNextBuyAnswer?(): void;
  /** Makes the next rate request fail with a 5xx (wire adapters only). */
  failNextRates?(): void;
  close(): Promise<void>;
}

const SECRET = 'whsec-contract-0123456789';
const HOUR = 3_600_000;

const request: RateRequest = {
  from: { name: 'East Warehouse', address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US', phone: '5555550100' },
  to: { name: 'Ada Lovelace', address1: '2 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US', email: 'ada@example.com' },
  parcel: { weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 100 },
  reference: 'shp_contract_1',
};

const asWebhook = (w: { headers: Record<string, string>; rawBody: Buffer }, query: Record<string, string | undefined> = {}): WebhookRequest => ({
  headers: w.headers,
  rawBody: w.rawBody,
  query,
});

const tamper = (w: WebhookRequest, header: string): WebhookRequest => {
  const value = String(w.headers[header]);
  const last = value.at(-1) === '0' ? '1' : '0';
  return { ...w, headers: { ...w.headers, [header]: `${value.slice(0, -1)}${last}` } };
};

const without = (w: WebhookRequest, ...headers: string[]): WebhookRequest => ({
  ...w,
  headers: Object.fromEntries(Object.entries(w.headers).filter(([k]) => !headers.includes(k))),
  query: {},
});

const harnesses: Record<string, () => Promise<Harness>> = {
  sandbox: async () => {
    let now = new Date('2026-03-02T15:00:00Z');
    const carrier = new SandboxCarrier({ clock: () => now, webhookSecret: SECRET });
    return {
      carrier,
      purchases: async () => (await carrier.store.all()).length,
      webhook: async (trackingNumber, kind) => {
        now = new Date(now.getTime() + 7 * HOUR);
        if (kind === 'stale') {
          const signedAt = now;
          now = new Date(now.getTime() - 10 * 60_000);
          const w = await carrier.webhookFor(trackingNumber);
          now = signedAt;
          return asWebhook(w);
        }
        const w = asWebhook(await carrier.webhookFor(trackingNumber));
        if (kind === 'forged') return tamper(w, 'x-sandbox-signature');
        if (kind === 'unsigned') return without(w, 'x-sandbox-signature', 'x-sandbox-timestamp');
        return w;
      },
      close: async () => {},
    };
  },
  easypost: async () => {
    const server = new EasyPostWireServer('EZTKcontract');
    const url = await server.start();
    const carrier = new EasyPostCarrier({ apiKey: 'EZTKcontract', apiUrl: url, webhookSecret: SECRET, timeoutMs: 500 });
    return {
      carrier,
      purchases: async () => server.purchases,
      webhook: async (trackingNumber, kind) => {
        const createdAt = kind === 'stale' ? new Date(Date.now() - 5 * 24 * HOUR) : new Date();
        const w = asWebhook(server.webhook(kind === 'forged' ? `${SECRET}x` : SECRET, trackingNumber, 'in_transit', { createdAt }));
        return kind === 'unsigned' ? without(w, 'x-hmac-signature') : w;
      },
      loseNextBuyAnswer: () => server.fail((c) => c.method === 'POST' && c.path.endsWith('/buy'), 'handle-then-timeout'),
      failNextRates: () => server.fail((c) => c.method === 'POST' && c.path === '/shipments', { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'try later' } } }),
      close: () => server.stop(),
    };
  },
  shippo: async () => {
    const server = new ShippoWireServer('shippo_test_contract');
    const url = await server.start();
    const carrier = new ShippoCarrier({ apiToken: 'shippo_test_contract', apiUrl: url, webhookSecret: SECRET, timeoutMs: 500 });
    return {
      carrier,
      purchases: async () => server.purchases,
      webhook: async (trackingNumber, kind) => {
        const at = kind === 'stale' ? new Date(Date.now() - HOUR) : new Date();
        const w = asWebhook(server.webhook(kind === 'forged' ? `${SECRET}x` : SECRET, trackingNumber, 'TRANSIT', { at }));
        return kind === 'unsigned' ? without(w, 'shippo-auth-signature') : w;
      },
      loseNextBuyAnswer: () => server.fail((c) => c.method === 'POST' && c.path.startsWith('/transactions'), 'handle-then-timeout'),
      failNextRates: () => server.fail((c) => c.method === 'POST' && c.path.startsWith('/shipments'), { status: 502, body: { detail: 'bad gateway' } }),
      close: () => server.stop(),
    };
  },
};

describe.each(Object.keys(harnesses))('carrier contract: %s', (name) => {
  let h: Harness;
  let label: Label;

  beforeAll(async () => {
    h = await harnesses[name]!();
  });
  afterAll(() => h.close());

  const buy = async (idempotencyKey: string) => {
    const rates = await h.carrier.rates(request);
    const rate = rates.find((r) => r.serviceLevel === 'standard') ?? rates[0]!;
    return h.carrier.buyLabel({ rate, request, idempotencyKey });
  };

  it('quotes rates with service levels, amounts and transit days', async () => {
    const rates = await h.carrier.rates(request);
    expect(rates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rates.map((r) => r.serviceLevel)).size).toBeGreaterThanOrEqual(2);
    for (const r of rates) {
      expect(r.account).toBe(name);
      expect(SERVICE_LEVELS).toContain(r.serviceLevel);
      expect(r.amount).toBeGreaterThan(0);
      expect(Math.round(r.amount * 100) / 100).toBe(r.amount);
      expect(r.currency).toBe('USD');
      expect(r.transitDays).toBeGreaterThanOrEqual(1);
      expect(r.rateId).not.toBe('');
    }
  });

  it('buys a label once per idempotency key, however often and however concurrently it is asked', async () => {
    const before = await h.purchases();
    label = await buy('contract-key-1');
    const again = await buy('contract-key-1');
    const concurrent = await Promise.all([buy('contract-key-1'), buy('contract-key-1')]);
    expect(again.trackingNumber).toBe(label.trackingNumber);
    expect(concurrent.map((l) => l.labelId)).toEqual([label.labelId, label.labelId]);
    expect(await h.purchases()).toBe(before + 1);
    expect(label).toMatchObject({ account: name, amount: expect.any(Number), currency: 'USD' });
    expect(label.labelPdf !== null || label.labelUrl !== null).toBe(true);
    const other = await buy('contract-key-2');
    expect(other.trackingNumber).not.toBe(label.trackingNumber);
    expect(await h.purchases()).toBe(before + 2);
  });

  it('tracks a bought label', async () => {
    const update = await h.carrier.track(label.trackingNumber, label.carrier);
    expect(update.trackingNumber).toBe(label.trackingNumber);
    expect(update.events[0]).toMatchObject({ trackingNumber: label.trackingNumber, status: 'pre_transit' });
    expect(update.events.every((e) => e.eventKey && e.occurredAt instanceof Date)).toBe(true);
  });

  it('voids an unused label', async () => {
    const toVoid = await buy('contract-void-1');
    const result = await h.carrier.voidLabel(toVoid);
    expect(result.voided).toBe(true);
  });

  it('reports a label voided again as voided (a retry after the first answer or its record was lost)', async () => {
    const toVoid = await buy('contract-void-2');
    expect((await h.carrier.voidLabel(toVoid)).voided).toBe(true);
    expect((await h.carrier.voidLabel(toVoid)).voided).toBe(true);
  });

  it('parses a correctly signed webhook into tracking updates', async () => {
    const result = await h.carrier.parseWebhook(await h.webhook(label.trackingNumber, 'valid'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.updates).toHaveLength(1);
    const update = result.updates[0]!;
    expect(update.trackingNumber).toBe(label.trackingNumber);
    expect(update.events.map((e) => e.status)).toContain<TrackingStatus>('in_transit');
  });

  it.each<WebhookKind>(['forged', 'unsigned', 'stale'])('refuses a %s webhook', async (kind) => {
    const result = await h.carrier.parseWebhook(await h.webhook(label.trackingNumber, kind));
    expect(result.ok).toBe(false);
  });

  it('refuses every webhook when no secret is configured', async () => {
    const w = await h.webhook(label.trackingNumber, 'valid');
    const unconfigured = await harnessWithoutSecret(name);
    const result = await unconfigured.parseWebhook(w);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not configured/) });
  });

  it('after a purchase whose answer was lost, the retry with the same key adopts that label', async (ctx) => {
    if (!h.loseNextBuyAnswer) return ctx.skip();
    const before = await h.purchases();
    h.loseNextBuyAnswer();
    const error = await buy('contract-lost-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierError);
    expect((error as CarrierError).retryable).toBe(true);
    expect(await h.purchases()).toBe(before + 1);
    const retried = await buy('contract-lost-1');
    expect(await h.purchases()).toBe(before + 1);
    expect(retried.trackingNumber).toMatch(/^\d+$/);
  });

  it('reports a carrier outage as a retryable error', async (ctx) => {
    if (!h.failNextRates) return ctx.skip();
    h.failNextRates();
    const error = await h.carrier.rates(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierError);
    expect((error as CarrierError).retryable).toBe(true);
  });
});

async function harnessWithoutSecret(name: string): Promise<Carrier> {
  if (name === 'sandbox') return new SandboxCarrier();
  if (name === 'easypost') return new EasyPostCarrier({ apiKey: 'x', apiUrl: 'http://127.0.0.1:9' });
  return new ShippoCarrier({ apiToken: 'x', apiUrl: 'http://127.0.0.1:9' });
}
