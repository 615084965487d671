import { describe, expect, it } from 'vitest';
import { changeOf, customerChangeWords } from './customer-change-words.js';

describe('customerChangeWords', () => {
  it('words an approval for its customer from the call and the money its preview moves', () => {
    const approval = {
      tool: 'cancel_order',
      args: { order_id: '#W7000002', reason: 'ordered by mistake' },
      preview: {
        summary: 'cancel_order on order #W7000002 (customer x_7): status pending → cancelled; refund 30.00',
        money: [
          { amount: 10, direction: 'refund' as const, paymentMethodId: 'gift_card_1' },
          { amount: 20, direction: 'refund' as const, paymentMethodId: 'credit_card_1' },
        ],
      },
    };
    expect(customerChangeWords(changeOf(approval))).toBe('cancel order #W7000002 and refund $30.00');
  });

  it('names the new address and never a tool name or customer id', () => {
    const words = customerChangeWords({ tool: 'modify_customer_address', args: { customer_id: 'x_7', address1: '8 Hill Lane', address2: 'Unit 3', city: 'Boise', state: 'ID', zip: '83702', country: 'USA' } });
    expect(words).toBe('change the default address on your account to 8 Hill Lane, Unit 3, Boise, ID 83702, USA');
    expect(words).not.toMatch(/x_7|modify_/);
  });
});
