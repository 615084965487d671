import { z } from 'zod';
import { catalogProductInputSchema } from '../../domain/catalog/catalog-product-input.js';
import { findCatalogVariantBySku } from '../../domain/catalog/find-catalog-variant-by-sku.js';
import { listProducts } from '../../domain/catalog/list-products.js';
import { upsertCatalog } from '../../domain/catalog/upsert-catalog.js';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/domain-error.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const productListQuery = pageQuery
  .extend({
    q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional().describe('Part of a product name or SKU, case-insensitive.'),
  });

const productListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  product_type: z.string(),
  handle: z.string().nullable(),
  vendor: z.string().nullable(),
  variants: z.array(z.object({ id: z.string(), sku: z.string(), options: z.record(z.string(), z.string()), price: z.number(), available: z.boolean() })),
});

export const productOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/products',
    tag: 'catalog',
    summary: 'List products with their variants, in catalog order',
    query: productListQuery,
    responses: { 200: { description: 'A page of products', schema: pageSchema(productListItemSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
  {
    method: 'GET',
    path: '/api/products/:sku',
    tag: 'catalog',
    summary: 'One variant by SKU (case-insensitive) with its product and channel ids',
    params: z.object({ sku: z.string() }),
    responses: { 200: { description: 'The variant', schema: z.object({ product: z.object({ id: z.string(), name: z.string() }).loose(), variant: z.object({ id: z.string(), sku: z.string() }).loose() }).loose() }, 404: { description: 'No such SKU', schema: errorBodySchema } },
  },
];

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
  app.get('/api/products', async (request, reply) => {
    const q = parseRequestQuery(productListQuery, request.query);
    const page = await listProducts(db, q.q ? { q: q.q } : {}, pageRequestOf(q));
    void reply.header('cache-control', 'no-store');
    return pageJson(page, (p) => p);
  });

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
