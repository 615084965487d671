import type { ApiOperation } from '../api-operation.js';
import type { RoutePlugin } from '../route-plugin.js';

export const metricsOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics',
    description:
      "Prometheus's text exposition format: request and job timings, the outbox backlog, dead letters, waiting approvals, " +
      'orders per status and channel stock sync lag. Needs API_TOKEN, METRICS_TOKEN (which reads this and nothing else) or an admin session.',
    responses: { 200: { description: 'The metrics as text/plain; version=0.0.4' }, 401: { description: 'No valid credential' } },
  },
];

/**
 * `GET /metrics`. Not public: queue, approval and order counts say how the business runs, so the
 * route guard (route-auth.ts) asks for a credential here as everywhere else.
 */
export const metricsRoutes: RoutePlugin = (app, { metrics }) => {
  if (!metrics) return;
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.scrape();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });
};
