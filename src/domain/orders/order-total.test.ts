import { describe, expect, it } from 'vitest';
import { orderTotal } from './order-total.js';

describe('orderTotal', () => {
  it('is items minus discounts plus shipping and taxes', () => {
    const parts = orderTotal(
      [
        { quantity: 2, unitPriceCents: 1000, totalDiscountCents: 200 },
        { quantity: 1, unitPriceCents: 550 },
      ],
      {
        discounts: [{ amount: 1.5, target: 'order' }],
        shipping_lines: [{ title: 'Standard', price: 4.99 }],
        taxes: [{ title: 'NY', amount: 1.23 }, { title: 'City', amount: 0.5 }],
      },
    );
    expect(parts).toEqual({ itemsCents: 2550, discountCents: 350, shippingCents: 499, taxCents: 173, totalCents: 2872 });
  });

  it('does not subtract a line discount twice when the lines carry it', () => {
    const lines = [{ quantity: 1, unitPriceCents: 1000, totalDiscountCents: 100 }];
    expect(orderTotal(lines, { discounts: [{ amount: 1, target: 'line' }] }).totalCents).toBe(900);
    expect(orderTotal([{ quantity: 1, unitPriceCents: 1000 }], { discounts: [{ amount: 1, target: 'line' }] }).totalCents).toBe(900);
  });

  it('is the items alone when nothing else is given', () => {
    expect(orderTotal([{ quantity: 3, unitPriceCents: 333 }], {}).totalCents).toBe(999);
  });
});
