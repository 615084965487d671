import { z } from 'zod';
import { listStockOutlook, type StockOutlook } from '../../console/stock-outlook.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';
import { inventoryLevelSchema, inventoryListQuery } from './inventory-routes.js';

// The stock list's filters; here an unknown SKU answers 404, as the outlook is asked for per variant.
const outlookQuery = inventoryListQuery;

const outlookSchema = z.object({
  sku: z.string(),
  variant_id: z.string(),
  product_id: z.string(),
  name: z.string(),
  quantity_now: z.number().int().describe('What every channel should show: available at active locations minus safety stock.'),
  locations: z.array(
    inventoryLevelSchema.omit({ sku: true, variant_id: true, product_id: true, name: true }).extend({
      daily_velocity: z.number().describe('Forecast units sold a day; 0 without sales.'),
      days_of_cover: z.number().nullable().describe('Days the available units last; null without sales or before 7 days of history.'),
      projected_stockout_at: z.string().nullable(),
      forecast_days: z.number().int().describe('Days of sales history behind the forecast.'),
    }),
  ),
  channels: z.array(
    z.object({
      channel: z.string(),
      state: z.enum(['in_sync', 'behind', 'failing']),
      last_pushed_at: z.string().nullable(),
      pushed_quantity: z.number().int().nullable(),
      channel_quantity: z.number().int().nullable().describe('What the channel said it holds after the last call.'),
      quantity_now: z.number().int(),
      pending_since: z.string().nullable(),
      failed_attempts: z.number().int(),
      failing_since: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<StockOutlook>;

export const stockOutlookOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/stock-outlook',
    tag: 'inventory',
    summary: 'Stock per variant and location with days of cover, projected stock-out and channel sync state',
    description: 'An unknown SKU answers 404. Cover comes from the demand forecast the stock monitor raises its stock-out flags from. One SKU, or every stocked variant by SKU.',
    query: outlookQuery,
    responses: {
      200: { description: 'A page of variants', schema: pageSchema(outlookSchema) },
      400: { description: 'A bad parameter', schema: errorBodySchema },
      404: { description: 'No such SKU', schema: errorBodySchema },
    },
  },
];

export const stockOutlookRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/stock-outlook', async (request, reply) => {
    const q = parseRequestQuery(outlookQuery, request.query);
    const page = await listStockOutlook(db, { ...(q.sku ? { sku: q.sku } : {}), ...(q.location ? { location: q.location } : {}) }, pageRequestOf(q));
    void reply.header('cache-control', 'no-store');
    return pageJson(page, (v) => v);
  });
};
