import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toCents } from '../../../domain/money.js';
import type { CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import { orderTotal } from '../../../domain/orders/order-total.js';
import { mapWooCommerceOrder, wooChannelOrder } from './map-woocommerce-order.js';
import { wooOrderPayloadSchema } from './woocommerce-order-payload.js';

// What orderops computes the buyer owes for the mapped order, to compare with WooCommerce's total.
const ourTotal = (o: CanonicalOrder) =>
  orderTotal(
    o.lines.map((l) => ({ quantity: l.quantity, unitPriceCents: toCents(l.unit_price ?? 0), totalDiscountCents: toCents(l.total_discount ?? 0) })),
    o,
  ).totalCents;

const documented = () => JSON.parse(readFileSync(new URL('../../../../test/fixtures/woocommerce/order-documented.json', import.meta.url), 'utf8'));

describe('mapWooCommerceOrder on the REST API v3 documented order', () => {
  const order = mapWooCommerceOrder(wooOrderPayloadSchema.parse(documented()));

  it('says the store has not been paid for an order on hold or pending without a payment date, and has for one processing', () => {
    const withStatus = (status: string, paid: string | null) =>
      mapWooCommerceOrder(wooOrderPayloadSchema.parse({ ...documented(), status, date_paid_gmt: paid })).payment;
    expect(withStatus('on-hold', null)).toMatchObject({ captured: false, status: 'on-hold' });
    expect(withStatus('pending', null)).toMatchObject({ captured: false, status: 'pending' });
    expect(withStatus('processing', '2017-03-22T19:28:02')).not.toHaveProperty('captured');
    expect(withStatus('on-hold', '2017-03-22T19:28:02')).not.toHaveProperty('captured');
  });

  it('keys the order by the WooCommerce id and reads the GMT date as UTC', () => {
    expect(order.channel).toBe('woocommerce');
    expect(order.external_id).toBe('727');
    expect(order.placed_at).toBe('2017-03-22T19:28:02Z');
    expect(order.currency).toBe('USD');
  });

  it('takes the buyer from billing (email, phone) and ships to shipping', () => {
    expect(order.customer).toEqual({ email: 'john.doe@example.com', first_name: 'John', last_name: 'Doe', phone: '(555) 555-5555' });
    expect(order.shipping_address).toEqual({ address1: '969 Market', city: 'San Francisco', state: 'CA', country: 'US', zip: '94103', name: 'John Doe' });
    expect(order.billing_address).toMatchObject({ address1: '969 Market', phone: '(555) 555-5555' });
  });

  it('addresses a simple product by its product id and a variation by its variation id, keeping line ids and SKUs', () => {
    expect(order.lines).toEqual([
      { external_variant_id: '93', external_line_id: '315', title: 'Woo Single #1', quantity: 2, unit_price: 3 },
      { sku: 'Bar3', external_variant_id: '23', external_line_id: '316', title: 'Ship Your Idea &ndash; Color: Black, Size: M Test', quantity: 1, unit_price: 12 },
    ]);
  });

  it('carries shipping lines, taxes and the payment method', () => {
    expect(order.shipping_lines).toEqual([{ title: 'Flat Rate', code: 'flat_rate', price: 10 }]);
    expect(order.taxes).toEqual([{ title: 'State Tax', amount: 1.35 }]);
    expect(order.discounts).toEqual([]);
    expect(order.payment).toEqual({ method: 'card', amount: 29.35 });
    expect(ourTotal(order)).toBe(toCents(29.35));
    expect(order.note).toBeUndefined();
    expect(order.client).toBeUndefined();
  });
});

describe('mapWooCommerceOrder on the rest of what an order may carry', () => {
  const full = () => {
    const o = documented();
    o.customer_note = 'Leave at the back door';
    o.customer_ip_address = '203.0.113.9';
    o.customer_user_agent = 'Mozilla/5.0 (X11; Linux x86_64)';
    o.payment_method = 'ppcp-gateway';
    o.line_items[0].total = '4.50';
    o.coupon_lines = [{ id: 320, code: 'spring25', discount: '1.50', discount_tax: '0.00', meta_data: [] }];
    o.fee_lines = [
      { id: 321, name: 'Gift wrap', tax_class: '', tax_status: 'taxable', total: '2.00', total_tax: '0.00', taxes: [], meta_data: [] },
      { id: 322, name: 'Loyalty credit', tax_class: '', tax_status: 'none', total: '-1.00', total_tax: '0.00', taxes: [], meta_data: [] },
    ];
    o.tax_lines[0].rate_percent = 7.5;
    o.tax_lines[0].shipping_tax_total = '0.75';
    o.shipping.state = '';
    return o;
  };
  const order = mapWooCommerceOrder(wooOrderPayloadSchema.parse(full()));

  it('turns coupons and negative fees into discounts, line discounts into total_discount, positive fees into lines that ship nothing', () => {
    expect(order.discounts).toEqual([
      { code: 'spring25', amount: 1.5, target: 'line' },
      { title: 'Loyalty credit', amount: 1, target: 'order' },
    ]);
    expect(order.lines[0]).toMatchObject({ unit_price: 3, total_discount: 1.5 });
    expect(order.lines[2]).toEqual({
      external_variant_id: 'fee-321',
      external_line_id: 'fee-321',
      title: 'Gift wrap',
      quantity: 1,
      unit_price: 2,
      requires_shipping: false,
    });
    expect(order.lines).toHaveLength(3);
  });

  it('keeps the note, the client details for risk, PayPal as paypal, the tax rate and shipping tax', () => {
    expect(order.note).toBe('Leave at the back door');
    expect(order.client).toEqual({ browser_ip: '203.0.113.9', user_agent: 'Mozilla/5.0 (X11; Linux x86_64)' });
    expect(order.payment.method).toBe('paypal');
    expect(order.taxes).toEqual([{ title: 'State Tax', rate: 0.075, amount: 2.1 }]);
  });

  it('adds up to the total WooCommerce charged, so the order is not held for it', () => {
    const o = full();
    // WooCommerce's own arithmetic for this order: lines 4.50 + 12, fee 2 - 1, shipping 10, tax 2.10.
    o.total = '29.60';
    const mapped = mapWooCommerceOrder(wooOrderPayloadSchema.parse(o));
    expect(mapped.payment.amount).toBe(29.6);
    expect(ourTotal(mapped)).toBe(toCents(29.6));
  });

  it('uses the city where a country has no state', () => {
    expect(order.shipping_address?.state).toBe('San Francisco');
  });

  it('leaves the shipping address out when the order has none, so ingest holds it', () => {
    const o = full();
    o.shipping = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' };
    expect(mapWooCommerceOrder(wooOrderPayloadSchema.parse(o)).shipping_address).toBeUndefined();
  });

  it('names the field when the order cannot be a canonical order', () => {
    const o = full();
    o.billing.email = 'not-an-email';
    expect(() => mapWooCommerceOrder(wooOrderPayloadSchema.parse(o))).toThrow(/customer\.email/);
  });

  it('lists the channel status and modification date for reconciliation', () => {
    const c = wooChannelOrder(wooOrderPayloadSchema.parse(full()));
    expect(c).toMatchObject({ externalId: '727', channelStatus: 'processing', updatedAt: '2017-03-22T19:28:08Z' });
  });
});
