import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { adjustStock } from '../../domain/inventory/adjust-stock.js';
import { cancelTransfer } from '../../domain/inventory/cancel-transfer.js';
import { countStock } from '../../domain/inventory/count-stock.js';
import { getInventoryBySku } from '../../domain/inventory/get-inventory-by-sku.js';
import { listInventoryLevels } from '../../domain/inventory/list-inventory-levels.js';
import { getChannelSyncStatus } from '../../domain/sales-channels/get-channel-sync-status.js';
import { listLocations } from '../../domain/inventory/location-repository.js';
import { receiveStock } from '../../domain/inventory/receive-stock.js';
import { receiveTransfer } from '../../domain/inventory/receive-transfer.js';
import { setStockPolicy } from '../../domain/inventory/set-stock-policy.js';
import { transferStock } from '../../domain/inventory/transfer-stock.js';
import { upsertLocation } from '../../domain/inventory/upsert-location.js';
import { parseRequestBody, RequestBodyInvalid } from '../parse-request-body.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

export const inventoryListQuery = pageQuery
  .extend({
    sku: z.string().trim().min(1, 'must not be empty').optional().describe('A whole SKU, case-insensitive.'),
    location: z.string().trim().min(1, 'must not be empty').optional().describe('A location id.'),
  });

export const inventoryLevelSchema = z.object({
  sku: z.string(),
  variant_id: z.string(),
  product_id: z.string(),
  name: z.string(),
  location_id: z.string(),
  location_name: z.string(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int().describe('On hand minus active reservations.'),
  safety_stock: z.number().int(),
});

export const inventoryOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/inventory',
    tag: 'inventory',
    summary: 'List stock levels by SKU, then location',
    query: inventoryListQuery,
    responses: { 200: { description: 'A page of stock levels', schema: pageSchema(inventoryLevelSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
  {
    method: 'GET',
    path: '/api/inventory/:sku',
    tag: 'inventory',
    summary: 'Stock of one SKU (case-insensitive) at every location',
    params: z.object({ sku: z.string() }),
    responses: { 200: { description: 'The stock', schema: z.object({ inventory: z.object({ sku: z.string(), totals: z.object({ on_hand: z.number(), reserved: z.number(), available: z.number() }) }).loose() }) }, 404: { description: 'No such SKU', schema: errorBodySchema } },
  },
];

const actor: Actor = { kind: 'api', id: 'api' };
const sku = z.string().trim().min(1);
const locationId = z.string().trim().min(1);
const units = z.number().int().positive();
const reason = z.string().trim().min(1, 'a reason is required');

const receiptBody = z.object({ sku, location_id: locationId, quantity: units, reference: z.string().max(200).optional() }).strict();
const transferBody = z
  .object({ sku, from_location_id: locationId, to_location_id: locationId, quantity: units, reason: z.string().max(500).optional() })
  .strict();
const countBody = z.object({ sku, location_id: locationId, counted: z.number().int().min(0), reason }).strict();
const adjustmentBody = z
  .object({ sku, location_id: locationId, quantity: z.number().int().refine((n) => n !== 0, 'must not be zero'), reason })
  .strict();
const cancelBody = z.object({ reason }).strict();
const policyBody = z
  .object({ safety_stock: z.number().int().min(0).optional(), backorder_policy: z.enum(['deny', 'allow']).optional() })
  .strict()
  .refine((b) => b.safety_stock !== undefined || b.backorder_policy !== undefined, { message: 'give safety_stock, backorder_policy, or both' });

function transferId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new RequestBodyInvalid([{ path: 'params.id', message: 'must be a transfer id (a positive integer)' }]);
  return id;
}

export const inventoryRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/inventory', async (request, reply) => {
    const q = parseRequestQuery(inventoryListQuery, request.query);
    const page = await listInventoryLevels(db, { ...(q.sku ? { sku: q.sku } : {}), ...(q.location ? { location: q.location } : {}) }, pageRequestOf(q));
    void reply.header('cache-control', 'no-store');
    return pageJson(page, (l) => l);
  });

  app.get<{ Params: { sku: string } }>('/api/inventory/:sku', async (request) => ({
    inventory: await getInventoryBySku(db, request.params.sku),
  }));

  app.get<{ Params: { sku: string } }>('/api/inventory/:sku/sync', async (request) => ({
    sync: await getChannelSyncStatus(db, request.params.sku),
  }));

  app.get('/api/locations', async () => ({ locations: await listLocations(db) }));

  app.put<{ Params: { id: string } }>('/api/locations/:id', async (request, reply) => {
    const { location, created } = await upsertLocation(db, request.params.id, request.body ?? {}, actor);
    return reply.code(created ? 201 : 200).send({ location });
  });

  app.post('/api/inventory/receipts', async (request, reply) => {
    const b = parseRequestBody(receiptBody, request.body);
    const receipt = await receiveStock(db, { sku: b.sku, locationId: b.location_id, quantity: b.quantity, ...(b.reference ? { reference: b.reference } : {}) }, actor);
    return reply.code(201).send({ receipt });
  });

  app.post('/api/inventory/transfers', async (request, reply) => {
    const b = parseRequestBody(transferBody, request.body);
    const transfer = await transferStock(
      db,
      { sku: b.sku, fromLocationId: b.from_location_id, toLocationId: b.to_location_id, quantity: b.quantity, ...(b.reason ? { reason: b.reason } : {}) },
      actor,
    );
    return reply.code(201).send({ transfer });
  });

  app.post<{ Params: { id: string } }>('/api/inventory/transfers/:id/receive', async (request) => ({
    transfer: await receiveTransfer(db, transferId(request.params.id), actor),
  }));

  app.post<{ Params: { id: string } }>('/api/inventory/transfers/:id/cancel', async (request) => {
    const id = transferId(request.params.id);
    const b = parseRequestBody(cancelBody, request.body);
    return { transfer: await cancelTransfer(db, id, b.reason, actor) };
  });

  app.post('/api/inventory/counts', async (request, reply) => {
    const b = parseRequestBody(countBody, request.body);
    const count = await countStock(db, { sku: b.sku, locationId: b.location_id, counted: b.counted, reason: b.reason }, actor);
    return reply.code(201).send({ count });
  });

  app.post('/api/inventory/adjustments', async (request, reply) => {
    const b = parseRequestBody(adjustmentBody, request.body);
    const adjustment = await adjustStock(db, { sku: b.sku, locationId: b.location_id, quantity: b.quantity, reason: b.reason }, actor);
    return reply.code(201).send({ adjustment });
  });

  app.put<{ Params: { sku: string } }>('/api/variants/:sku/stock-policy', async (request) => {
    const b = parseRequestBody(policyBody, request.body);
    return {
      policy: await setStockPolicy(
        db,
        {
          sku: request.params.sku,
          ...(b.safety_stock !== undefined ? { safetyStock: b.safety_stock } : {}),
          ...(b.backorder_policy ? { backorderPolicy: b.backorder_policy } : {}),
        },
        actor,
      ),
    };
  });
};
