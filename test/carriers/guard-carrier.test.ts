import { afterAll, beforeAll, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { CarrierCircuitOpenError, guardCarrier } from '../../src/connectors/carriers/guard-carrier.js';
import { createCircuitBreakers } from '../../src/connectors/circuit-breakers.js';
import { CarrierError, type RateRequest } from '../../src/domain/shipping/carrier.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';

const request: RateRequest = {
  from: { name: 'East Warehouse', address1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07102', country: 'US', phone: '5555550100' },
  to: { name: 'Ada Lovelace', address1: '2 Market St', city: 'San Francisco', state: 'CA', zip: '94105', country: 'US', email: 'ada@example.com' },
  parcel: { weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 100 },
  reference: 'shp_guard_1',
};

let server: EasyPostWireServer;
let url: string;
beforeAll(async () => {
  server = new EasyPostWireServer('EZTKguard');
  url = await server.start();
});
afterAll(async () => {
  await server?.stop();
});

it('EasyPost answering 503 opens its circuit: calls then fail fast as a retryable CarrierError; after the wait one label is bought under its key', async () => {
  let t = 0;
  const lines: string[] = [];
  const breakers = createCircuitBreakers({ failureThreshold: 2, openMs: 30_000, jitter: 0, now: () => t, log: (l) => lines.push(l) });
  const carrier = guardCarrier(new EasyPostCarrier({ apiKey: 'EZTKguard', apiUrl: url, timeoutMs: 2_000 }), breakers.for('easypost'));
  server.fail(() => true, { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } }, 2);
  for (let i = 0; i < 2; i++) await expect(carrier.rates(request)).rejects.toMatchObject({ retryable: true });
  const callsWhenOpened = server.calls.length;

  const fast = await carrier.rates(request).catch((e: unknown) => e);
  expect(fast).toBeInstanceOf(CarrierCircuitOpenError);
  // Rate shopping and the job system read an open circuit as an outage, not as "no carrier serves this".
  expect(fast).toBeInstanceOf(CarrierError);
  expect((fast as CarrierError).retryable).toBe(true);
  expect(server.calls.length).toBe(callsWhenOpened);
  expect(lines).toHaveLength(1);

  t += 30_000;
  const [rate] = await carrier.rates(request);
  expect(breakers.for('easypost').state).toBe('closed');
  const key = 'label-shipment-guard-1';
  const label = await carrier.buyLabel({ rate: rate!, request, idempotencyKey: key });
  // A retried job (a fresh adapter, as after a restart) buys nothing more under the same key.
  const again = await guardCarrier(new EasyPostCarrier({ apiKey: 'EZTKguard', apiUrl: url }), breakers.for('easypost')).buyLabel({ rate: rate!, request, idempotencyKey: key });
  expect(again.trackingNumber).toBe(label.trackingNumber);
  expect(server.purchases).toBe(1);
});
