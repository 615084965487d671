import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows } from './read-csv-rows.js';
import { isoTimestamp, orderFromShopifyRows, shopifyOrderKeyOf } from './shopify-order-csv.js';

const HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Billing Name,Billing Address1,Billing City,Billing Zip,Billing Province,Billing Country,Shipping Name,Shipping Address1,Shipping Address2,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Notes,Payment Method,Id,Tags,Tax 1 Name,Tax 1 Value';

const CSV = [
  HEADER,
  '#1001,ada@example.com,paid,2024-01-15 10:25:00 -0500,unfulfilled,USD,45.00,5.00,3.60,53.60,SAVE5,5.00,Express,2024-01-15 10:23:45 -0500,2,Organic Tee - M,20.00,TEE-M,true,Ada Lovelace,1 Bill St,Albany,\'02134,NY,US,Ada King Lovelace,1 Main St,Apt 2,Albany,\'02134,NY,US,"ring twice, please",PayPal Express Checkout,5550001,"vip, wholesale",NY State Tax 8%,3.60',
  '#1001,,,,,,,,,,,,,,1,Gift Card,10.00,GIFT-10,false,,,,,,,,,,,,,,,,,,,',
  '#1002,bad-email,paid,,,USD,1,0,0,1,,,,2024-01-16 09:00:00 +0000,one,Thing,1.00,T-1,true,,,,,,,B B,2 Main,,Troy,12180,NY,US,,Credit Card,5550002,,,',
].join('\n');

async function orders(csv: string) {
  const out = [];
  for await (const group of groupConsecutiveRows(readCsvRows(Readable.from([csv])), shopifyOrderKeyOf)) out.push(orderFromShopifyRows(group, 'shopify'));
  return out;
}

describe('orderFromShopifyRows', () => {
  it('reads the order from its first row and a line from every row', async () => {
    const [first] = await orders(CSV);
    expect(first).toEqual({
      ok: true,
      order: {
        channel: 'shopify',
        external_id: '5550001',
        placed_at: '2024-01-15T10:23:45-05:00',
        currency: 'USD',
        customer: { email: 'ada@example.com', first_name: 'Ada', last_name: 'King Lovelace' },
        shipping_address: { address1: '1 Main St', address2: 'Apt 2', city: 'Albany', state: 'NY', country: 'US', zip: '02134', name: 'Ada King Lovelace' },
        billing_address: { address1: '1 Bill St', city: 'Albany', state: 'NY', country: 'US', zip: '02134', name: 'Ada Lovelace' },
        shipping_lines: [{ title: 'Express', price: 5 }],
        discounts: [{ code: 'SAVE5', amount: 5, target: 'order' }],
        taxes: [{ title: 'NY State Tax 8%', amount: 3.6 }],
        note: 'ring twice, please',
        tags: ['vip', 'wholesale'],
        lines: [
          { sku: 'TEE-M', title: 'Organic Tee - M', quantity: 2, unit_price: 20 },
          { sku: 'GIFT-10', title: 'Gift Card', quantity: 1, unit_price: 10, requires_shipping: false, gift_card: true },
        ],
        payment: { method: 'paypal', amount: 53.6 },
      },
    });
  });

  it('rejects what it cannot read, at the first row of the order, naming every field', async () => {
    const [, second] = await orders(CSV);
    expect(second).toMatchObject({ ok: false, line: 4 });
    expect((second as { reason: string }).reason).toContain('customer.email: must be an email address');
    expect((second as { reason: string }).reason).toContain('lines.0.quantity');
  });
});

describe('isoTimestamp', () => {
  it.each([
    ['2024-01-15 10:23:45 -0500', '2024-01-15T10:23:45-05:00'],
    ['2024-01-15 10:23 +0100', '2024-01-15T10:23:00+01:00'],
    ['2024-01-15T10:23:45Z', '2024-01-15T10:23:45Z'],
    ['2024-01-15 10:23:45 UTC', '2024-01-15T10:23:45Z'],
    ['yesterday', 'yesterday'],
  ])('%s → %s', (from, to) => expect(isoTimestamp(from)).toBe(to));
});

describe('orderFromShopifyRows payment status', () => {
  it('marks an order whose Financial Status says Shopify took no money as not captured', async () => {
    const pending = CSV.split('\n').slice(0, 2).join('\n').replace('ada@example.com,paid,', 'ada@example.com,pending,');
    const [order] = await orders(pending);
    if (!order?.ok) throw new Error(JSON.stringify(order));
    expect(order.order.payment).toMatchObject({ captured: false, status: 'pending' });
    const [paid] = await orders(CSV);
    if (!paid?.ok) throw new Error(JSON.stringify(paid));
    expect(paid.order.payment.captured).toBeUndefined();
  });
});
