import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from './metrics-registry.js';

/** The route label of requests no route matched, so unknown URLs cannot add label values. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Times every answered request into `metrics`, labelled by the route the router matched. Call it
 * on the root instance before routes are added, so the hook covers every route group.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: MetricsRegistry): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest({
      method: request.method,
      route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
      statusCode: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
  });
}
