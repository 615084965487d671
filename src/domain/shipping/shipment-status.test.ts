import { describe, expect, it } from 'vitest';
import { foldShipmentStatus, type StoredEvent } from './shipment-status.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 8, minutes));
const ev = (status: StoredEvent['status'], minutes: number): StoredEvent => ({ status, occurredAt: at(minutes) });

describe('foldShipmentStatus', () => {
  it('takes the furthest step whatever order the events came in', () => {
    const events = [ev('delivered', 30), ev('in_transit', 10), ev('out_for_delivery', 20), ev('pre_transit', 0)];
    expect(foldShipmentStatus('pre_transit', events)).toBe('delivered');
    expect(foldShipmentStatus('pre_transit', [ev('out_for_delivery', 20), ev('in_transit', 10)])).toBe('out_for_delivery');
  });

  it('never goes below where the shipment stood', () => {
    expect(foldShipmentStatus('out_for_delivery', [ev('pre_transit', 0)])).toBe('out_for_delivery');
    expect(foldShipmentStatus('shipped', [ev('pre_transit', 0)])).toBe('shipped');
    expect(foldShipmentStatus('pending', [])).toBe('pending');
  });

  it('keeps an exception until a later scan clears it, and ignores a late old exception', () => {
    expect(foldShipmentStatus('in_transit', [ev('in_transit', 10), ev('exception', 20)])).toBe('exception');
    expect(foldShipmentStatus('exception', [ev('in_transit', 10), ev('exception', 20), ev('in_transit', 30)])).toBe('in_transit');
    expect(foldShipmentStatus('in_transit', [ev('exception', 5), ev('in_transit', 10)])).toBe('in_transit');
  });

  it('treats delivered as final unless the parcel is returned, and returned as final', () => {
    expect(foldShipmentStatus('delivered', [ev('delivered', 30), ev('exception', 40)])).toBe('delivered');
    expect(foldShipmentStatus('delivered', [ev('delivered', 30), ev('returned', 50)])).toBe('returned');
    expect(foldShipmentStatus('returned', [ev('in_transit', 60)])).toBe('returned');
    expect(foldShipmentStatus('voided', [ev('in_transit', 60)])).toBe('voided');
  });
});
