import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import { ShippoCarrier } from '../../src/connectors/carriers/shippo-carrier.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { ShippoWireServer } from '../support/shippo-wire-server.js';

const SECRET = 'whsec-dates-0123456789';

// A carrier that sends one malformed date must not make us refuse its whole webhook forever
// (it retries what we refuse): the bad event is skipped, the good ones are kept.
describe('carrier webhooks with a malformed date', () => {
  const easypost = new EasyPostWireServer('EZTKdates');
  const shippo = new ShippoWireServer('shippo_test_dates');
  let epUrl = '';
  let shUrl = '';
  beforeAll(async () => {
    epUrl = await easypost.start();
    shUrl = await shippo.start();
  });
  afterAll(async () => {
    await easypost.stop();
    await shippo.stop();
  });

  it('EasyPost: keeps the well-dated events of a tracker and skips the malformed one', async () => {
    const carrier = new EasyPostCarrier({ apiKey: 'EZTKdates', apiUrl: epUrl, webhookSecret: SECRET });
    easypost.webhook(SECRET, 'EZDATE1', 'pre_transit');
    easypost.trackers.get('EZDATE1')!.details.push({ status: 'in_transit', message: 'garbled', datetime: 'yesterday-ish' });
    const result = await carrier.parseWebhook({ ...easypost.webhook(SECRET, 'EZDATE1', 'out_for_delivery'), query: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const events = result.updates[0]!.events;
    expect(events.map((e) => e.status)).toEqual(['pre_transit', 'out_for_delivery']);
    expect(events.every((e) => Number.isFinite(e.occurredAt.getTime()))).toBe(true);
  });

  it('Shippo: keeps the well-dated events of a track and skips the malformed one', async () => {
    const carrier = new ShippoCarrier({ apiToken: 'shippo_test_dates', apiUrl: shUrl, webhookSecret: SECRET });
    shippo.webhook(SECRET, 'SHDATE1', 'PRE_TRANSIT');
    shippo.tracks.get('SHDATE1')!.history.push({ ...shippo.tracks.get('SHDATE1')!.history[0]!, object_id: 'ts_bad', status: 'TRANSIT', status_date: '2026-13-45T99:00:00Z' });
    const result = await carrier.parseWebhook({ ...shippo.webhook(SECRET, 'SHDATE1', 'DELIVERED'), query: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const events = result.updates[0]!.events;
    expect(events.map((e) => e.status)).toEqual(['pre_transit', 'delivered']);
    expect(events.every((e) => Number.isFinite(e.occurredAt.getTime()))).toBe(true);
  });
});
