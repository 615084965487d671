import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canonicalOrderKeyOf, orderFromCanonicalRows } from './canonical-order-csv.js';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows } from './read-csv-rows.js';

async function orders(csv: string) {
  const out = [];
  for await (const group of groupConsecutiveRows(readCsvRows(Readable.from([csv])), canonicalOrderKeyOf)) out.push(orderFromCanonicalRows(group, 'csv'));
  return out;
}

describe('orderFromCanonicalRows', () => {
  it('reads an order from one row per line, by canonical column names', async () => {
    const [o] = await orders(
      [
        'external_id,email,first_name,last_name,ship_address1,ship_city,ship_state,ship_country,ship_zip,shipping_method,shipping_price,line_sku,line_quantity,line_unit_price,line_requires_shipping,payment_amount',
        'C-1,ada@example.com,Ada,Lovelace,1 Main St,Albany,NY,US,12207,Next Day,12.00,TEE,2,10.00,,32.00',
        'C-1,,,,,,,,,,,CARD,1,0.00,false,',
      ].join('\n'),
    );
    expect(o).toEqual({
      ok: true,
      order: {
        channel: 'csv',
        external_id: 'C-1',
        customer: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'US', zip: '12207' },
        shipping_lines: [{ title: 'Next Day', price: 12 }],
        lines: [
          { sku: 'TEE', quantity: 2, unit_price: 10 },
          { sku: 'CARD', quantity: 1, unit_price: 0, requires_shipping: false },
        ],
        payment: { method: 'card', amount: 32 },
      },
    });
  });

  it('rejects a row with a bad value, naming the field', async () => {
    const [o] = await orders('external_id,email,first_name,last_name,line_sku,line_quantity,line_gift_card\nC-2,a@b.co,A,B,X,1,maybe\n');
    expect(o).toEqual({ ok: false, line: 2, reason: 'lines.0.gift_card: must be true or false' });
  });
});
