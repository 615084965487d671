import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RateRequest } from '../../domain/shipping/carrier.js';
import { FileSandboxLabelStore } from './sandbox-label-store.js';
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

  it('advances the timeline with the clock: picked up, out for delivery, delivered after the transit days', async () => {
    let now = new Date('2026-03-02T15:00:00Z');
    const carrier = new SandboxCarrier({ clock: () => now });
    const rate = (await carrier.rates(request('94103'))).find((r) => r.serviceLevel === 'standard')!;
    const label = await carrier.buyLabel({ rate, request: request('94103'), idempotencyKey: 'timeline-1' });
    const statuses = async () => (await carrier.track(label.trackingNumber)).events.map((e) => e.status);
    expect(await statuses()).toEqual(['pre_transit']);
    now = new Date(now.getTime() + 7 * 3_600_000);
    expect(await statuses()).toEqual(['pre_transit', 'in_transit']);
    now = new Date(Date.parse('2026-03-02T15:00:00Z') + rate.transitDays! * 86_400_000 - 3 * 3_600_000);
    expect((await statuses()).at(-1)).toBe('out_for_delivery');
    now = new Date(Date.parse('2026-03-02T15:00:00Z') + rate.transitDays! * 86_400_000);
    const final = await carrier.track(label.trackingNumber);
    expect(final.events.at(-1)).toMatchObject({ status: 'delivered', expectedDeliveryAt: now });
    expect(await carrier.voidLabel(label)).toMatchObject({ voided: false });
  });

  it('injects delays and exceptions', async () => {
    let now = new Date('2026-03-02T15:00:00Z');
    const carrier = new SandboxCarrier({
      clock: () => now,
      delayHours: (tn) => (tn === sandboxTrackingNumber('late') ? 48 : 0),
      exceptionFor: (tn) => (tn === sandboxTrackingNumber('broken') ? 'Damaged in transit' : null),
    });
    const rate = (await carrier.rates(request('10001')))[1]!;
    const late = await carrier.buyLabel({ rate, request: request('10001'), idempotencyKey: 'late' });
    const broken = await carrier.buyLabel({ rate, request: request('10001'), idempotencyKey: 'broken' });
    const returned = await carrier.buyLabel({ rate, request: request('10001', 900, 'SANDBOX RETURN'), idempotencyKey: 'back' });
    now = new Date(now.getTime() + rate.transitDays! * 86_400_000 + 3_600_000);
    expect((await carrier.track(late.trackingNumber)).events.at(-1)).toMatchObject({ status: 'in_transit', detail: expect.stringMatching(/Delayed/) });
    expect((await carrier.track(broken.trackingNumber)).events.at(-1)).toMatchObject({ status: 'exception', detail: 'Damaged in transit' });
    expect((await carrier.track(returned.trackingNumber)).events.at(-1)?.status).toBe('returned');
    now = new Date(now.getTime() + 48 * 3_600_000);
    expect((await carrier.track(late.trackingNumber)).events.at(-1)?.status).toBe('delivered');
  });

  it('keeps its labels across a restart: the same key still gives the same label, bought once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-labels-'));
    try {
      const path = join(dir, 'labels.jsonl');
      const clock = () => new Date('2026-03-02T15:00:00Z');
      const first = new SandboxCarrier({ clock, store: new FileSandboxLabelStore(path) });
      const later = () => new Date('2026-03-03T15:00:00Z');
      // Opened (and its file read) before the purchase, as another process beside the first would be.
      const second = new SandboxCarrier({ clock: later, store: new FileSandboxLabelStore(path) });
      expect(await second.store.all()).toEqual([]);
      const rate = (await first.rates(request('10001')))[0]!;
      const bought = await first.buyLabel({ rate, request: request('10001'), idempotencyKey: 'restart-1' });
      await appendFile(path, '{"idempotencyKey":"cut-short-by-a-cr');
      const again = await second.buyLabel({ rate, request: request('10001'), idempotencyKey: 'restart-1' });
      expect(again).toMatchObject({ trackingNumber: bought.trackingNumber, labelId: bought.labelId });
      expect(await second.store.all()).toHaveLength(1);
      expect((await second.track(bought.trackingNumber)).events[0]?.occurredAt).toEqual(clock());
      await second.buyLabel({ rate, request: request('10001'), idempotencyKey: 'restart-2' });
      const third = new SandboxCarrier({ clock: later, store: new FileSandboxLabelStore(path) });
      expect((await third.store.all()).map((p) => p.idempotencyKey).sort()).toEqual(['restart-1', 'restart-2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a rate quoted for another parcel', async () => {
    const carrier = new SandboxCarrier();
    const [rate] = await carrier.rates(request('94103'));
    await expect(carrier.buyLabel({ rate: rate!, request: request('10001'), idempotencyKey: 'wrong' })).rejects.toThrow(/does not belong/);
  });
});
