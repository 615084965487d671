import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requiredCapability, isStateChanging, roleAllows } from '../security/role-policy.js';
import { secretsMatch } from '../security/secrets-match.js';
import type { SessionUser } from '../security/session-store.js';
import { createCallerIdentifier, type ApiCredentials } from './api-caller.js';
import { isChannelTokenRoute } from './channel-token-routes.js';
import { isMetricsTokenRoute } from './metrics-token-routes.js';
import type { ErrorBody } from './error-handler.js';
import { isPublicRoute } from './public-routes.js';
import { sessionTokenFrom } from './session-cookie.js';

const UNAUTHORIZED: ErrorBody = { error: 'a valid "Authorization: Bearer <API_TOKEN>" header is required', code: 'unauthorized' };
const UNAUTHORIZED_WITH_PEOPLE: ErrorBody = {
  error: 'sign in (POST /login) or send a valid "Authorization: Bearer <API_TOKEN>" header',
  code: 'unauthorized',
};
const BAD_CSRF: ErrorBody = {
  error: 'a signed-in request that changes something must carry the session\'s CSRF token (header x-csrf-token or form field _csrf; GET /api/me gives it)',
  code: 'csrf_token_invalid',
  issues: [{ path: 'x-csrf-token', message: 'missing or not this session\'s token' }],
};

/** How the guard signs people in; without it only the API tokens count. */
export interface PeopleAuth {
  /** The live session for a cookie token, or undefined. */
  lookup(token: string): Promise<SessionUser | undefined>;
  /** Whether any account exists: until one does, a server without tokens stays open as before. */
  anyUsers(): Promise<boolean>;
}

/**
 * Puts every route behind the API tokens or a person's session unless it is on PUBLIC_ROUTES.
 * Call it on the root instance before any route is registered, so its hooks run first for every
 * route, whichever plugin adds it. The decision uses the route the router matched, because the
 * router decodes and the URL as written does not say where a request lands (`/%61pi/orders` is
 * `/api/orders`, so is `http://host/api/orders`).
 *
 * A session may call what its role allows on the matched route (role-policy.ts), and every
 * change it makes must carry its CSRF token. With no token configured and no account created the
 * API stays open, as it was before accounts existed (startApp allows that on loopback only).
 */
export function installRouteAuth(app: FastifyInstance, credentials: ApiCredentials, people?: PeopleAuth): void {
  app.decorateRequest('apiCaller', null);
  const apiTokensConfigured = credentials.fullToken !== undefined || credentials.channelTokens.length > 0;
  // METRICS_TOKEN alone closes nothing: it is one more token an offered header is judged by.
  const tokensConfigured = apiTokensConfigured || credentials.metricsToken !== undefined;
  if (!tokensConfigured && !people) return;
  const identify = createCallerIdentifier(credentials);
  const unauthorized = people ? UNAUTHORIZED_WITH_PEOPLE : UNAUTHORIZED;
  // Accounts are disabled, never deleted, so once one exists the answer stays yes.
  let peopleSeen = false;
  const anyUsers = async () => (peopleSeen ||= (await people?.anyUsers()) ?? false);

  app.addHook('onRequest', async (request, reply) => {
    // Nothing matched: the not-found handler answers and no route code runs.
    if (request.is404) return;
    const pattern = request.routeOptions.url;
    if (pattern !== undefined && isPublicRoute(request.method, pattern)) return;
    const refuse = () => reply.code(401).header('www-authenticate', 'Bearer realm="orderops"').send(unauthorized);

    const authorization = request.headers.authorization;
    if (tokensConfigured && authorization !== undefined) {
      // A request that offers a token is judged by it alone, never by a cookie it also carries.
      const caller = identify(authorization);
      if (!caller) return refuse();
      if (caller.kind === 'channel' && (pattern === undefined || !isChannelTokenRoute(request.method, pattern))) {
        return reply.code(403).send({
          error: `the ${caller.channel} channel token may only create ${caller.channel} orders (POST /api/orders); this needs API_TOKEN`,
          code: 'forbidden',
        } satisfies ErrorBody);
      }
      if (caller.kind === 'metrics' && (pattern === undefined || !isMetricsTokenRoute(request.method, pattern))) {
        return reply.code(403).send({ error: 'METRICS_TOKEN may only read GET /metrics; this needs API_TOKEN', code: 'forbidden' } satisfies ErrorBody);
      }
      request.apiCaller = caller;
      return;
    }

    const token = people ? sessionTokenFrom(request.headers.cookie) : undefined;
    const user = token === undefined ? undefined : await people!.lookup(token);
    if (user) {
      const need = pattern === undefined ? undefined : requiredCapability(request.method, pattern);
      if (need === undefined || !roleAllows(user.role, need)) {
        return reply.code(403).send({
          error: `${user.email} (${user.role}) may not ${request.method} ${pattern ?? request.url}${need ? `: it needs the ${need} permission` : ''}`,
          code: 'forbidden_role',
        } satisfies ErrorBody);
      }
      request.apiCaller = { kind: 'user', user };
      return;
    }
    if (apiTokensConfigured || (await anyUsers())) return refuse();
  });

  if (!people) return;
  // After the body is parsed, so a form's _csrf field can be read; before any handler runs.
  app.addHook('preValidation', async (request, reply) => {
    const caller = request.apiCaller;
    if (caller?.kind !== 'user' || !isStateChanging(request.method)) return;
    if (!secretsMatch(presentedCsrfToken(request), caller.user.csrfToken)) return reply.code(403).send(BAD_CSRF);
  });
}

/** The CSRF token a request carries: the x-csrf-token header, or a `_csrf` field of its body. */
function presentedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body;
  if (body && typeof body === 'object' && '_csrf' in body) {
    const field = (body as { _csrf: unknown })._csrf;
    if (typeof field === 'string' && field !== '') return field;
  }
  return undefined;
}
