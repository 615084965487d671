import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows } from './read-csv-rows.js';
import { productFromShopifyRows, productHandleOf } from './shopify-product-csv.js';

const CSV = [
  'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Barcode,Image Src,Status',
  'organic-tee,Organic Tee,"<p>Soft, <b>organic</b></p>",Acme,Apparel > Shirts,,"cotton, summer",true,Size,S,Color,Red,TEE-S-R,180,5,20.00,\'0012345,https://img/1.jpg,active',
  'organic-tee,,,,,,,,,M,,Red,TEE-M-R,200.4,3,21.50,,,',
  'organic-tee,,,,,,,,,,,,,,,,,https://img/2.jpg,',
  'gift-card,Gift Card,,Acme,,Gift Cards,,true,Title,Default Title,,,GIFT-25,0,0,25,,,draft',
  'broken,Broken,,,,,,,Size,S,,,BRK-S,10,0,cheap,,,active',
].join('\n');

async function products(csv: string) {
  const out = [];
  for await (const group of groupConsecutiveRows(readCsvRows(Readable.from([csv])), productHandleOf)) out.push(productFromShopifyRows(group));
  return out;
}

describe('productFromShopifyRows', () => {
  it('reads a product from its first row and each variant from its own row, by header name', async () => {
    const [tee, card] = await products(CSV);
    expect(tee).toEqual({
      ok: true,
      product: {
        handle: 'organic-tee',
        name: 'Organic Tee',
        product_type: 'Shirts',
        description: '<p>Soft, <b>organic</b></p>',
        vendor: 'Acme',
        tags: ['cotton', 'summer'],
        variants: [
          { sku: 'TEE-S-R', options: { Size: 'S', Color: 'Red' }, price: 20, weight_grams: 180, available: true, barcode: '0012345' },
          { sku: 'TEE-M-R', options: { Size: 'M', Color: 'Red' }, price: 21.5, weight_grams: 200, available: true },
        ],
      },
    });
    expect(card).toMatchObject({ ok: true, product: { handle: 'gift-card', product_type: 'Gift Cards', variants: [{ sku: 'GIFT-25', options: {}, available: false }] } });
  });

  it('rejects a product it cannot read, naming the row and the field', async () => {
    const [, , broken] = await products(CSV);
    expect(broken).toEqual({ ok: false, line: 6, reason: 'variants.0.price: Invalid input: expected number, received NaN' });
  });

  it('finds columns by name whatever their order', async () => {
    const [p] = await products('Variant Price,Variant SKU,Title,Handle\n3,X-1,Thing,thing\n');
    expect(p).toMatchObject({ ok: true, product: { handle: 'thing', name: 'Thing', variants: [{ sku: 'X-1', price: 3 }] } });
  });
});
