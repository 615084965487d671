import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { ShippoCarrier } from '../../src/connectors/carriers/shippo-carrier.js';
import type { Db } from '../../src/db/db.js';
import type { TrackingUpdate } from '../../src/domain/shipping/carrier.js';
import { buildServer } from '../../src/server/build-server.js';
import { carrierWebhookRoutes } from '../../src/server/routes/carrier-webhook-routes.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { ShippoWireServer } from '../support/shippo-wire-server.js';
import { openTestDb } from '../support/test-db.js';

const SECRET = 'whsec-doors-0123456789';
const TOKEN = 'api-token-0123456789abcdef';

describe('carrier webhook doors', () => {
  const easypost = new EasyPostWireServer('EZTKdoors');
  const shippo = new ShippoWireServer('shippo_test_doors');
  let db: Db;
  let app: FastifyInstance;
  let now = new Date('2026-03-02T15:00:00Z');
  const sandbox = new SandboxCarrier({ clock: () => now, webhookSecret: SECRET });
  const received: { account: string; updates: TrackingUpdate[] }[] = [];
  let failRecording = false;
  let sandboxTracking = '';

  beforeAll(async () => {
    const [easypostUrl, shippoUrl] = await Promise.all([easypost.start(), shippo.start()]);
    db = await openTestDb('pglite');
    const carriers = [
      sandbox,
      new EasyPostCarrier({ apiKey: 'EZTKdoors', apiUrl: easypostUrl, webhookSecret: SECRET }),
      new ShippoCarrier({ apiToken: 'shippo_test_doors', apiUrl: shippoUrl, webhookSecret: SECRET }),
    ];
    app = buildServer({
      db,
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', API_TOKEN: TOKEN }),
      routes: [
        carrierWebhookRoutes({
          carriers,
          onUpdates: async (account, updates) => {
            if (failRecording) throw new Error('database unavailable');
            received.push({ account, updates });
          },
        }),
      ],
    });
    await app.ready();
    const request = {
      from: { address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US' },
      to: { address1: '2 Main St', city: 'Austin', state: 'TX', zip: '78701', country: 'US' },
      parcel: { weightGrams: 500, lengthMm: 200, widthMm: 150, heightMm: 50 },
      reference: 'shp_doors',
    };
    const [rate] = await sandbox.rates(request);
    sandboxTracking = (await sandbox.buyLabel({ rate: rate!, request, idempotencyKey: 'doors-1' })).trackingNumber;
    now = new Date(now.getTime() + 7 * 3_600_000);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await Promise.all([easypost.stop(), shippo.stop()]);
  });

  beforeEach(() => {
    received.length = 0;
    failRecording = false;
  });

  const post = (path: string, w: { headers: Record<string, string>; rawBody: Buffer }) =>
    app.inject({ method: 'POST', url: path, headers: w.headers, payload: w.rawBody });

  it('accepts a signed sandbox webhook without an API token and hands its updates over', async () => {
    const res = await post('/webhooks/carriers/sandbox', await sandbox.webhookFor(sandboxTracking));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'accepted', updates: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.account).toBe('sandbox');
    expect(received[0]!.updates[0]!.events.map((e) => e.status)).toEqual(['pre_transit', 'in_transit']);
  });

  it('refuses a forged, unsigned or stale webhook with 401 and hands nothing over', async () => {
    const good = await sandbox.webhookFor(sandboxTracking);
    const forged = { ...good, rawBody: Buffer.from(good.rawBody.toString().replace('in_transit', 'delivered')) };
    const unsigned = { headers: { 'content-type': 'application/json' }, rawBody: good.rawBody };
    const signedAt = now;
    now = new Date(now.getTime() - 10 * 60_000);
    const stale = await sandbox.webhookFor(sandboxTracking);
    now = signedAt;
    for (const w of [forged, unsigned, stale]) {
      const res = await post('/webhooks/carriers/sandbox', w);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'bad_signature' });
    }
    expect(received).toEqual([]);
  });

  it('verifies EasyPost by X-Hmac-Signature over the raw bytes, whatever their JSON formatting', async () => {
    const w = easypost.webhook(SECRET, '9400111', 'out_for_delivery');
    const pretty = Buffer.from(JSON.stringify(JSON.parse(w.rawBody.toString()), null, 2));
    const hex = createHmac('sha256', Buffer.from(SECRET.normalize('NFKD'))).update(pretty).digest('hex');
    const res = await post('/webhooks/carriers/easypost', { headers: { 'content-type': 'application/json', 'x-hmac-signature': `hmac-sha256-hex=${hex}` }, rawBody: pretty });
    expect(res.statusCode).toBe(200);
    expect(received[0]!.updates[0]).toMatchObject({ trackingNumber: '9400111', events: [{ status: 'out_for_delivery' }] });
    const resigned = await post('/webhooks/carriers/easypost', { headers: w.headers, rawBody: pretty });
    expect(resigned.statusCode).toBe(401);
  });

  it('verifies Shippo by the token in the URL or by its HMAC header, and refuses a wrong or stale one', async () => {
    const w = shippo.webhook(SECRET, '9205000', 'DELIVERED');
    const body = { headers: { 'content-type': 'application/json' }, rawBody: w.rawBody };
    expect((await post(`/webhooks/carriers/shippo?token=${SECRET}`, body)).statusCode).toBe(200);
    expect((await post('/webhooks/carriers/shippo?token=guess', body)).statusCode).toBe(401);
    expect((await post('/webhooks/carriers/shippo', body)).statusCode).toBe(401);
    expect((await post('/webhooks/carriers/shippo', w)).statusCode).toBe(200);
    const stale = shippo.webhook(SECRET, '9205000', 'DELIVERED', { at: new Date(Date.now() - 3_600_000) });
    expect((await post(`/webhooks/carriers/shippo?token=${SECRET}`, stale)).statusCode).toBe(401);
    expect(received.map((r) => r.updates[0]!.events.at(-1)!.status)).toEqual(['delivered', 'delivered']);
  });

  it('answers 503 when the updates cannot be recorded, so the carrier delivers again, and then accepts it', async () => {
    const w = await sandbox.webhookFor(sandboxTracking);
    failRecording = true;
    expect((await post('/webhooks/carriers/sandbox', w)).statusCode).toBe(503);
    failRecording = false;
    expect((await post('/webhooks/carriers/sandbox', w)).statusCode).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('acknowledges events other than tracking without handing anything over', async () => {
    const raw = Buffer.from(JSON.stringify({ event: 'transaction_created', test: true, data: {} }));
    const res = await post(`/webhooks/carriers/shippo?token=${SECRET}`, { headers: { 'content-type': 'application/json' }, rawBody: raw });
    expect(res.json()).toEqual({ status: 'ignored', updates: 0 });
    expect(received).toEqual([]);
  });

  it('answer 404 for a carrier that is not enabled', async () => {
    const only = buildServer({
      db,
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      routes: [carrierWebhookRoutes({ carriers: [new SandboxCarrier()], onUpdates: async () => {} })],
    });
    try {
      const res = await only.inject({ method: 'POST', url: '/webhooks/carriers/easypost', payload: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'carrier_disabled' });
    } finally {
      await only.close();
    }
  });
});
