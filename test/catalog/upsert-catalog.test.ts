import { expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { catalogProductInputSchema, type CatalogProductInput } from '../../src/domain/catalog/catalog-product-input.js';
import { upsertCatalog } from '../../src/domain/catalog/upsert-catalog.js';
import { seedTauFixture } from '../support/tau-retail-fixture.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'api', id: 'catalog-test' };

const tee = (over: Partial<CatalogProductInput> = {}): CatalogProductInput =>
  catalogProductInputSchema.parse({
    handle: 'organic-tee',
    name: 'Organic Tee',
    vendor: 'Acme',
    tags: ['cotton'],
    variants: [
      { sku: 'TEE-S', options: { Size: 'S' }, price: 20, weight_grams: 180, channel: { channel: 'shopify', external_variant_id: '4001', external_inventory_item_id: 'gid://shopify/InventoryItem/9001' } },
      { sku: 'TEE-M', options: { Size: 'M' }, price: 20, weight_grams: 200 },
    ],
    ...over,
  });

async function counts(db: Db) {
  const q = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;
  return {
    outbox: await q(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'catalog.updated'`),
    audit: await q(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'catalog.%'`),
  };
}

describeEachDb('upsertCatalog', (ctx) => {
  it('creates a product keyed by handle, its variants by SKU and the channel map, with audit and one event', async () => {
    const before = await counts(ctx.db);
    const r = await upsertCatalog(ctx.db, [tee()], actor);
    expect(r).toMatchObject({ productsCreated: 1, productsUpdated: 0, variantsCreated: 2, variantsUpdated: 0, channelVariantsWritten: 1 });
    const { rows: products } = await ctx.db.query<{ id: string; name: string; vendor: string; tags: string[] }>(
      `SELECT id, name, vendor, tags FROM products WHERE handle = 'organic-tee'`,
    );
    expect(products).toEqual([{ id: r.productIds[0], name: 'Organic Tee', vendor: 'Acme', tags: ['cotton'] }]);
    const { rows: variants } = await ctx.db.query<{ sku: string; price: string; weight_grams: number; product_id: string }>(
      `SELECT sku, price::text AS price, weight_grams, product_id FROM variants WHERE sku LIKE 'TEE-%' ORDER BY sku`,
    );
    expect(variants).toEqual([
      { sku: 'TEE-M', price: '20.00', weight_grams: 200, product_id: r.productIds[0] },
      { sku: 'TEE-S', price: '20.00', weight_grams: 180, product_id: r.productIds[0] },
    ]);
    const { rows: map } = await ctx.db.query<{ sku: string; external_inventory_item_id: string }>(
      `SELECT v.sku, cv.external_inventory_item_id FROM channel_variants cv JOIN variants v ON v.id = cv.variant_id
        WHERE cv.channel = 'shopify' AND cv.external_variant_id = '4001'`,
    );
    expect(map).toEqual([{ sku: 'TEE-S', external_inventory_item_id: 'gid://shopify/InventoryItem/9001' }]);
    const after = await counts(ctx.db);
    expect(after.outbox - before.outbox).toBe(1);
    expect(after.audit - before.audit).toBe(1);
  });

  it('writes nothing when the same product comes again', async () => {
    const before = await counts(ctx.db);
    const r = await upsertCatalog(ctx.db, [tee()], actor);
    expect(r).toMatchObject({ productsCreated: 0, productsUpdated: 0, variantsCreated: 0, variantsUpdated: 0, channelVariantsWritten: 0 });
    expect(await counts(ctx.db)).toEqual(before);
  });

  it('updates name, price, options, weight and availability, and adds a new SKU', async () => {
    const changed = tee({ name: 'Organic Tee 2' });
    changed.variants[0] = { ...changed.variants[0]!, price: 22.5, options: { Size: 'Small' }, weight_grams: 190, available: false };
    changed.variants.push({ sku: 'TEE-L', options: { Size: 'L' }, price: 21 });
    const r = await upsertCatalog(ctx.db, [changed], actor);
    expect(r).toMatchObject({ productsCreated: 0, productsUpdated: 1, variantsCreated: 1, variantsUpdated: 1 });
    const { rows } = await ctx.db.query<{ price: string; options: unknown; weight_grams: number; available: boolean; name: string }>(
      `SELECT v.price::text AS price, v.options, v.weight_grams, v.available, p.name
         FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = 'TEE-S'`,
    );
    expect(rows).toEqual([{ price: '22.50', options: { Size: 'Small' }, weight_grams: 190, available: false, name: 'Organic Tee 2' }]);
  });

  it('remaps a channel variant id to another SKU', async () => {
    const moved = tee();
    moved.variants = [{ ...moved.variants[1]!, channel: { channel: 'shopify', external_variant_id: '4001' } }];
    const r = await upsertCatalog(ctx.db, [moved], actor);
    expect(r.channelVariantsWritten).toBe(1);
    const { rows } = await ctx.db.query<{ sku: string; external_inventory_item_id: string }>(
      `SELECT v.sku, cv.external_inventory_item_id FROM channel_variants cv JOIN variants v ON v.id = cv.variant_id
        WHERE cv.channel = 'shopify' AND cv.external_variant_id = '4001'`,
    );
    // The inventory item id the second delivery did not carry is kept.
    expect(rows).toEqual([{ sku: 'TEE-M', external_inventory_item_id: 'gid://shopify/InventoryItem/9001' }]);
  });

  it('adopts a product loaded without a handle through its SKUs', async () => {
    const f = await seedTauFixture(ctx.db);
    const r = await upsertCatalog(
      ctx.db,
      [catalogProductInputSchema.parse({ handle: 'desk-lamp', name: 'Desk Lamp', variants: [{ sku: f.L1, options: { color: 'red' }, price: 50 }] })],
      actor,
    );
    expect(r.productIds).toEqual([f.lamp]);
    expect(r.productsCreated).toBe(0);
  });

  it('writes nothing at all when one product of the batch fails', async () => {
    const before = await counts(ctx.db);
    const good = tee({ handle: 'batch-good', variants: [{ sku: 'BATCH-1', options: {}, price: 1 }] });
    // Past the schema (a caller that skipped it): the database's own check refuses the price.
    const bad: CatalogProductInput = { handle: 'batch-bad', name: 'Bad', variants: [{ sku: 'BATCH-2', options: {}, price: -1 }] };
    await expect(upsertCatalog(ctx.db, [good, bad], actor)).rejects.toThrow();
    const { rows } = await ctx.db.query(`SELECT 1 FROM products WHERE handle IN ('batch-good', 'batch-bad')`);
    expect(rows).toEqual([]);
    expect(await counts(ctx.db)).toEqual(before);
  });
});
