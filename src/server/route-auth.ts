import type { FastifyInstance } from 'fastify';
import { createCallerIdentifier, type ApiCredentials } from './api-caller.js';
import { isChannelTokenRoute } from './channel-token-routes.js';
import type { ErrorBody } from './error-handler.js';
import { isPublicRoute } from './public-routes.js';

const UNAUTHORIZED: ErrorBody = { error: 'a valid "Authorization: Bearer <API_TOKEN>" header is required', code: 'unauthorized' };

/**
 * Puts every route behind the API tokens unless it is on PUBLIC_ROUTES. Call it on the root
 * instance before any route is registered, so its onRequest hook runs first for every route,
 * whichever plugin adds it. The decision uses the route the router matched, because the router
 * decodes and the URL as written does not say where a request lands (`/%61pi/orders` is
 * `/api/orders`, so is `http://host/api/orders`). With no token configured it does nothing.
 */
export function installRouteAuth(app: FastifyInstance, credentials: ApiCredentials): void {
  app.decorateRequest('apiCaller', null);
  if (credentials.fullToken === undefined && credentials.channelTokens.length === 0) return;
  const identify = createCallerIdentifier(credentials);

  app.addHook('onRequest', async (request, reply) => {
    // Nothing matched: the not-found handler answers and no route code runs.
    if (request.is404) return;
    const pattern = request.routeOptions.url;
    if (pattern !== undefined && isPublicRoute(request.method, pattern)) return;
    const caller = identify(request.headers.authorization);
    if (!caller) return reply.code(401).header('www-authenticate', 'Bearer realm="orderops"').send(UNAUTHORIZED);
    if (caller.kind === 'channel' && (pattern === undefined || !isChannelTokenRoute(request.method, pattern))) {
      return reply.code(403).send({
        error: `the ${caller.channel} channel token may only create ${caller.channel} orders (POST /api/orders); this needs API_TOKEN`,
        code: 'forbidden',
      } satisfies ErrorBody);
    }
    request.apiCaller = caller;
  });
}
