import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShippoCarrier } from '../../src/connectors/carriers/shippo-carrier.js';
import type { RateRequest } from '../../src/domain/shipping/carrier.js';
import { ShippoWireServer } from '../support/shippo-wire-server.js';

const TOKEN = 'shippo_test_queued';
const request: RateRequest = {
  from: { name: 'East Warehouse', address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US', phone: '5555550100' },
  to: { name: 'Ada Lovelace', address1: '2 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US', email: 'ada@example.com' },
  parcel: { weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 100 },
  reference: 'shp_shippo_1',
};

describe('Shippo label purchase while Shippo is still working on it', () => {
  const server = new ShippoWireServer(TOKEN);
  let carrier: ShippoCarrier;

  beforeAll(async () => {
    const url = await server.start();
    carrier = new ShippoCarrier({ apiToken: TOKEN, apiUrl: url, timeoutMs: 300, purchasePollIntervalMs: 10 });
  });
  afterAll(() => server.stop());

  it('a retry after a timed-out purchase that Shippo left QUEUED waits for it and adopts its label instead of buying again', async () => {
    const [rate] = await carrier.rates(request);
    server.leaveNextQueued(3);
    server.fail((c) => c.method === 'POST' && c.path.startsWith('/transactions'), 'handle-then-timeout');
    await expect(carrier.buyLabel({ rate: rate!, request, idempotencyKey: 'queued-key-1' })).rejects.toThrow();
    const label = await carrier.buyLabel({ rate: rate!, request, idempotencyKey: 'queued-key-1' });
    expect(server.purchases).toBe(1);
    expect(label.trackingNumber).toBe(server.transactions[0]!.tracking_number);
    expect(label.labelId).toBe(server.transactions[0]!.object_id);
  });

  it('a purchase Shippo answers QUEUED is awaited until it has its label', async () => {
    const [rate] = await carrier.rates(request);
    server.leaveNextQueued(2);
    const label = await carrier.buyLabel({ rate: rate!, request, idempotencyKey: 'queued-key-2' });
    expect(server.purchases).toBe(2);
    expect(label.trackingNumber).toBe(server.transactions[1]!.tracking_number);
  });
});
