import type { FastifyInstance } from 'fastify';
import { redactQuery } from './redact-query.js';
import { UNMATCHED_ROUTE } from './request-metrics.js';

/**
 * Writes one debug line per answered request: method, matched route, URL with its query values
 * redacted (a webhook token may ride in the query), status and time taken in ms. Call it on the
 * root instance before routes are added, so the hook covers every route group.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
        url: redactQuery(request.url),
        status: reply.statusCode,
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
