import { describe, expect, it } from 'vitest';
import { easyPostTrackingStatus } from './easypost-carrier.js';
import { shippoCarrierToken, shippoTrackingStatus } from './shippo-carrier.js';

describe('tracking statuses of the wire carriers', () => {
  it('maps every EasyPost tracker status', () => {
    const mapped = Object.fromEntries(
      ['pre_transit', 'in_transit', 'out_for_delivery', 'delivered', 'return_to_sender', 'failure', 'unknown', 'available_for_pickup', 'cancelled', 'error', 'something_new'].map((s) => [s, easyPostTrackingStatus(s)]),
    );
    expect(mapped).toEqual({
      pre_transit: 'pre_transit',
      in_transit: 'in_transit',
      out_for_delivery: 'out_for_delivery',
      delivered: 'delivered',
      return_to_sender: 'returned',
      failure: 'exception',
      unknown: 'unknown',
      available_for_pickup: 'out_for_delivery',
      cancelled: 'exception',
      error: 'exception',
      something_new: 'unknown',
    });
  });

  it('maps Shippo statuses and the substatuses that refine them', () => {
    expect(shippoTrackingStatus('PRE_TRANSIT')).toBe('pre_transit');
    expect(shippoTrackingStatus('TRANSIT')).toBe('in_transit');
    expect(shippoTrackingStatus('TRANSIT', 'out_for_delivery')).toBe('out_for_delivery');
    expect(shippoTrackingStatus('DELIVERED')).toBe('delivered');
    expect(shippoTrackingStatus('RETURNED')).toBe('returned');
    expect(shippoTrackingStatus('FAILURE')).toBe('exception');
    expect(shippoTrackingStatus('FAILURE', 'return_to_sender')).toBe('returned');
    expect(shippoTrackingStatus('UNKNOWN')).toBe('unknown');
    expect(shippoTrackingStatus(null)).toBe('unknown');
  });

  it('names Shippo carriers by their token', () => {
    expect(shippoCarrierToken('USPS')).toBe('usps');
    expect(shippoCarrierToken('DHL Express')).toBe('dhl_express');
  });
});
