import { z } from 'zod';
import { readTrends, type Trends } from '../../console/trends.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const trendsQuery = z.object({
  days: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(90, 'must be at most 90')
    .default(14)
    .describe('Days of breach and flag history, and days ahead of projected stock-outs, 1 to 90 (default 14).'),
});

const daySeries = z.array(z.object({ day: z.string().describe('YYYY-MM-DD in the store time zone'), count: z.number().int() }));

const trendsSchema = z.object({
  generated_at: z.string(),
  time_zone: z.string().describe('STORE_TIMEZONE: the zone hours and days are read in.'),
  days: z.number().int(),
  orders_per_hour: z.array(z.object({ hour: z.string().describe('The hour\'s start instant'), count: z.number().int() })).describe('The last 48 hours, zero-filled.'),
  sla_breaches_per_day: daySeries,
  flags_per_day: z.array(
    z.object({ day: z.string(), count: z.number().int(), by_category: z.object({ risk: z.number().int(), stock: z.number().int(), operations: z.number().int() }) }),
  ).describe('Anomaly flags other than SLA breaches, by the day first seen.'),
  stockouts_projected: daySeries.describe('Variants projected to run out at some location, per day from today.'),
}) satisfies z.ZodType<Trends>;

export const trendOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/trends',
    tag: 'inbox',
    summary: 'Orders per hour, SLA breaches and flags per day, and projected stock-outs per day ahead',
    query: trendsQuery,
    responses: { 200: { description: 'The series', schema: trendsSchema }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
];

export const trendRoutes: RoutePlugin = (app, { db, config }) => {
  app.get('/api/trends', async (request, reply) => {
    const q = parseRequestQuery(trendsQuery, request.query);
    void reply.header('cache-control', 'no-store');
    return readTrends(db, { days: q.days, timeZone: config.STORE_TIMEZONE });
  });
};
