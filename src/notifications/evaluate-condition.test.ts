import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './evaluate-condition.js';
import type { NotificationContext } from './notification-context.js';
import { conditionSchema, type Condition } from './workflow.js';

const context = {
  trigger: 'shipment.delayed',
  customer: { id: 'c1', first_order: false, order_count: 3, phone: null, email: 'a@example.com' },
  order: { total: '120.50', status: 'shipped', lines: [{ name: 'Tee' }, { name: 'Cap' }] },
  shipment: { status: 'in_transit', carrier: 'UPS', delivered_at: null },
  event: { kind: 'carrier_delay', detail: null },
  refund: null,
} as unknown as NotificationContext;

const holds = (c: unknown) => evaluateCondition(conditionSchema.parse(c) as Condition, context);

describe('evaluateCondition', () => {
  it('compares a dotted path with every comparison', () => {
    expect(holds({ field: 'shipment.status', equals: 'in_transit' })).toBe(true);
    expect(holds({ field: 'shipment.status', not_equals: 'voided' })).toBe(true);
    expect(holds({ field: 'shipment.status', in: ['delivered', 'returned'] })).toBe(false);
    expect(holds({ field: 'shipment.status', not_in: ['delivered', 'returned'] })).toBe(true);
    expect(holds({ field: 'customer.first_order', equals: false })).toBe(true);
    expect(holds({ field: 'customer.order_count', gt: 2 })).toBe(true);
    expect(holds({ field: 'customer.order_count', gte: 4 })).toBe(false);
    expect(holds({ field: 'customer.order_count', lt: 3 })).toBe(false);
    expect(holds({ field: 'customer.order_count', lte: 3 })).toBe(true);
    expect(holds({ field: 'order.total', gt: 100 })).toBe(true);
    expect(holds({ field: 'order.total', equals: 120.5 })).toBe(true);
    expect(holds({ field: 'order.lines.size', equals: 2 })).toBe(true);
  });

  it('treats a missing or null field as not existing', () => {
    expect(holds({ field: 'shipment.delivered_at', exists: false })).toBe(true);
    expect(holds({ field: 'customer.phone', exists: true })).toBe(false);
    expect(holds({ field: 'refund.amount', exists: false })).toBe(true);
    expect(holds({ field: 'shipment.nothing_here', equals: 'x' })).toBe(false);
    expect(holds({ field: 'shipment.nothing_here', not_equals: 'x' })).toBe(true);
    expect(holds({ field: 'shipment.nothing_here', gt: 0 })).toBe(false);
    expect(holds({ field: 'shipment.delivered_at', equals: null })).toBe(true);
    expect(holds({ field: 'shipment.status', equals: null })).toBe(false);
  });

  it('never reaches through to an object prototype', () => {
    expect(holds({ field: 'customer.constructor', exists: true })).toBe(false);
    expect(holds({ field: 'order.total.length', exists: true })).toBe(false);
  });

  it('combines with all, any and not', () => {
    expect(holds({ all: [{ field: 'shipment.status', equals: 'in_transit' }, { field: 'customer.first_order', equals: true }] })).toBe(false);
    expect(holds({ any: [{ field: 'shipment.status', equals: 'delivered' }, { field: 'event.kind', equals: 'carrier_delay' }] })).toBe(true);
    expect(holds({ not: { field: 'shipment.status', equals: 'out_for_delivery' } })).toBe(true);
  });
});
