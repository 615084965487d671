import { z } from 'zod';
import { catalogProductInputSchema } from '../../domain/catalog/catalog-product-input.js';
import { findCatalogVariantBySku } from '../../domain/catalog/find-catalog-variant-by-sku.js';
import { upsertCatalog } from '../../domain/catalog/upsert-catalog.js';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/domain-error.js';
import type { RoutePlugin } from '../route-plugin.js';

const productsBodySchema = z.object({
  products: z.array(catalogProductInputSchema, { error: 'must be an array of products' }).min(1, 'must have at least one product').max(250),
});

/** One product, or `{ "products": [...] }`: the same shapes upsertCatalog takes. */
function parseProductsBody(body: unknown) {
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'products' in body;
  const result = batch
    ? productsBodySchema.safeParse(body)
    : catalogProductInputSchema.transform((product) => ({ products: [product] })).safeParse(body);
  if (result.success) return { ok: true as const, products: result.data.products };
  return {
    ok: false as const,
    issues: result.error.issues.map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : '(body)', message: i.message })),
  };
}

export const productRoutes: RoutePlugin = (app, { db }) => {
  app.post('/api/products', async (request, reply) => {
    // The catalog is every channel's: a channel's own token may write its orders, not the catalog.
    if (request.apiCaller?.kind === 'channel') {
      return reply.code(403).send({ error: 'only the API_TOKEN may write the catalog', code: 'catalog_forbidden', issues: [] });
    }
    const parsed = parseProductsBody(request.body);
    if (!parsed.ok) return reply.code(400).send({ error: 'the products are not valid', code: 'invalid_products', issues: parsed.issues });
    const actor: Actor = { kind: 'api', id: 'products' };
    const result = await upsertCatalog(db, parsed.products, actor);
    return reply.code(result.productsCreated > 0 ? 201 : 200).send({
      products_created: result.productsCreated,
      products_updated: result.productsUpdated,
      variants_created: result.variantsCreated,
      variants_updated: result.variantsUpdated,
      channel_variants_written: result.channelVariantsWritten,
      product_ids: result.productIds,
    });
  });

  app.get<{ Params: { sku: string } }>('/api/products/:sku', async (request) => {
    const found = await findCatalogVariantBySku(db, request.params.sku);
    if (!found) throw new DomainError('not_found', 'sku_not_found', `SKU ${request.params.sku} not found`);
    return found;
  });
};
