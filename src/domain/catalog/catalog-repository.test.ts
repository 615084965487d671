import { expect, it } from 'vitest';
import { seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { getProductDetails, getVariant, listProductTypes } from './catalog-repository.js';

describeEachDb('catalog repository', (ctx) => {
  it('returns a product with its variants in the tau shape', async () => {
    const f = await seedTauFixture(ctx.db);
    const lamp = await getProductDetails(ctx.db, f.lamp);
    expect(lamp).toEqual({
      name: expect.stringMatching(/^Desk Lamp /),
      product_id: f.lamp,
      variants: {
        [f.L1]: { item_id: f.L1, options: { color: 'red' }, available: true, price: 50 },
        [f.L2]: { item_id: f.L2, options: { color: 'blue' }, available: true, price: 71.96 },
        [f.L3]: { item_id: f.L3, options: { color: 'green' }, available: false, price: 40 },
      },
    });
    expect(await getProductDetails(ctx.db, 'no-such-product')).toBeNull();
  });

  it('finds one variant by item id', async () => {
    const f = await seedTauFixture(ctx.db);
    expect(await getVariant(ctx.db, f.M1)).toEqual({ id: f.M1, productId: f.mug, sku: f.M1, options: { size: 'small' }, priceCents: 1010, available: true });
    expect(await getVariant(ctx.db, 'nope')).toBeNull();
  });

  it('lists product names to ids sorted by code point', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query(`INSERT INTO products (id, name, product_type) VALUES ('p-lower', 'apple peeler', 'apple peeler'), ('p-upper', 'Zebra Rug', 'Zebra Rug')`);
    const types = await listProductTypes(ctx.db);
    const names = Object.keys(types);
    expect(names).toEqual([...names].sort());
    expect(names.indexOf('Zebra Rug')).toBeLessThan(names.indexOf('apple peeler'));
    expect(Object.values(types)).toContain(f.lamp);
  });
});
