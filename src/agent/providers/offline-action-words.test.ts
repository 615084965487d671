import { describe, expect, it } from 'vitest';
import { customerActionWords, type ToolOutcome } from './offline-action-words.js';

const outcome = (name: string, input: Record<string, unknown>, data: unknown = {}): ToolOutcome => ({ name, input, ok: true, data, error: '' });

const order = outcome(
  'get_order_details',
  { order_id: '#W7000001' },
  {
    order_id: '#W7000001',
    total: 45.5,
    items: [
      { item_id: 'i1', name: 'Mug', price: 12.5, product_id: 'p1', options: { color: 'red' } },
      { item_id: 'i2', name: 'Teapot', price: 33, product_id: 'p2', options: { size: 'large' } },
    ],
  },
);

describe('customerActionWords', () => {
  it('says a cancellation in plain words with the amount refunded', () => {
    const pending = outcome('cancel_order', { order_id: '#W7000001', reason: 'no longer needed' }, { status: 'pending_approval', what: 'cancel_order on order #W7000001 (customer x_1): status pending → cancelled' });
    expect(customerActionWords(pending, [order])).toBe('cancel order #W7000001 and refund $45.50');
  });

  it('names the returned items and their refund, and never the internal summary', () => {
    const pending = outcome('return_order_items', { order_id: '#W7000001', item_ids: ['i1'], payment_method_id: 'card_1' }, { what: 'return_order_items ... customer x_1' });
    const words = customerActionWords(pending, [order]);
    expect(words).toBe('return Mug from order #W7000001 and refund $12.50');
    expect(words).not.toMatch(/_/);
  });

  it('writes an address change as where the order will go', () => {
    const pending = outcome('modify_order_address', { order_id: '#W7000001', address1: '4 Bay Road', address2: '', city: 'Salem', state: 'OR', zip: '97301', country: 'USA' });
    expect(customerActionWords(pending, [order])).toBe('ship order #W7000001 to 4 Bay Road, Salem, OR 97301, USA');
  });

  it('falls back to a general phrase for a change it has no words for', () => {
    expect(customerActionWords(outcome('split_order', { order_id: '#W7000001' }), [order])).toBe('make the change you asked for');
  });
});
