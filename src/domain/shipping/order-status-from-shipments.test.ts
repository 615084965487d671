import { describe, expect, it } from 'vitest';
import { orderStatusFromShipments } from './order-status-from-shipments.js';

describe('orderStatusFromShipments', () => {
  it('follows the shipments: none, some, all shipped, all delivered', () => {
    expect(orderStatusFromShipments([])).toBeNull();
    expect(orderStatusFromShipments(['voided'])).toBeNull();
    expect(orderStatusFromShipments(['pre_transit', 'pending'])).toBe('processed');
    expect(orderStatusFromShipments(['in_transit', 'pre_transit'])).toBe('partially_shipped');
    expect(orderStatusFromShipments(['delivered', 'pending'])).toBe('partially_shipped');
    expect(orderStatusFromShipments(['out_for_delivery', 'shipped', 'voided'])).toBe('shipped');
    expect(orderStatusFromShipments(['delivered', 'in_transit'])).toBe('shipped');
    expect(orderStatusFromShipments(['delivered', 'delivered', 'voided'])).toBe('delivered');
  });

  it('keeps an order with lines on no live shipment at most partially shipped', () => {
    expect(orderStatusFromShipments(['delivered', 'voided'], 1)).toBe('partially_shipped');
    expect(orderStatusFromShipments(['in_transit'], 2)).toBe('partially_shipped');
    expect(orderStatusFromShipments(['pre_transit'], 1)).toBe('processed');
    expect(orderStatusFromShipments(['exception'], 1)).toBe('exception');
  });

  it('puts the order in exception while any parcel is stuck or coming back', () => {
    expect(orderStatusFromShipments(['delivered', 'exception'])).toBe('exception');
    expect(orderStatusFromShipments(['returned', 'delivered'])).toBe('exception');
  });
});
