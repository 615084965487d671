import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { createOidcClient, OidcCallbackError, OidcUnavailableError, type OidcClient, type VerifiedOidcClaims } from '../../security/oidc-client.js';
import { createOidcLoginStore } from '../../security/oidc-login-store.js';
import { createSessionStore } from '../../security/session-store.js';
import { createUserRepository } from '../../security/user-repository.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import type { ErrorBody } from '../error-handler.js';
import { openSession } from '../open-session.js';
import type { RoutePlugin } from '../route-plugin.js';
import { randomTokenCookie } from '../session-cookie.js';

/** The cookie that ties a callback to the browser that started the sign-in. */
export const OIDC_LOGIN_COOKIE = 'orderops_oidc';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
// Long enough to type a password and a second factor at the issuer.
const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Why a single sign-on came back to the login page, as `?sso_failed=` says it. The console turns
 * each into a sentence; the details go to the log only.
 */
export type SsoFailure = 'expired' | 'denied' | 'invalid' | 'unavailable' | 'email_unverified' | 'no_account' | 'disabled' | 'linked_elsewhere' | 'failed';

const methodsJson = z.object({
  sso: z.boolean().describe('Whether GET /auth/oidc/start signs people in through the OpenID Connect issuer.'),
});

export const oidcOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/auth/methods',
    tag: 'people',
    summary: 'How people may sign in, for the login page (no sign-in needed)',
    responses: { 200: { description: 'The sign-in methods on this server', schema: methodsJson } },
  },
  {
    method: 'GET',
    path: '/auth/oidc/start',
    tag: 'people',
    summary: 'Start a single sign-on: redirects (302) to the OpenID Connect issuer',
    responses: {
      302: { description: 'To the issuer\'s authorization endpoint, with a short-lived orderops_oidc cookie set' },
      404: { description: 'Single sign-on is not configured (OIDC_ISSUER)', schema: errorBodySchema },
      503: { description: 'The issuer cannot be reached; password sign-in still works', schema: errorBodySchema },
    },
  },
  {
    method: 'GET',
    path: OIDC_CALLBACK_PATH,
    tag: 'people',
    summary: 'Where the issuer sends the browser back; signs in and redirects (303) to the console',
    responses: {
      303: { description: 'To /console/ with the orderops_session cookie set, or to /console/?sso_failed=<reason> with no session' },
      404: { description: 'Single sign-on is not configured (OIDC_ISSUER)', schema: errorBodySchema },
    },
  },
];

const NOT_CONFIGURED: ErrorBody = { error: 'single sign-on is not configured on this server (OIDC_ISSUER)', code: 'sso_not_configured' };

function loginCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${OIDC_LOGIN_COOKIE}=${value}`, `Path=${OIDC_CALLBACK_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}

function oidcClientFor(config: Config): OidcClient | undefined {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET || !config.PUBLIC_URL) return undefined;
  return createOidcClient({
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    redirectUri: `${config.PUBLIC_URL}${OIDC_CALLBACK_PATH}`,
  });
}

/** GET /auth/methods, /auth/oidc/start and /auth/oidc/callback: single sign-on beside the password. */
export const oidcRoutes: RoutePlugin = (app, deps) => {
  const { db, config } = deps;
  const client = oidcClientFor(config);
  const users = createUserRepository(db, { hashRounds: config.PASSWORD_HASH_ROUNDS });
  const ttlMs = config.SESSION_TTL_HOURS * 3_600_000;
  const sessions = createSessionStore(db, { ttlMs });
  const logins = createOidcLoginStore(db, { ttlMs: LOGIN_TTL_MS });
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;

  app.get('/auth/methods', async () => ({ sso: client !== undefined }) satisfies z.infer<typeof methodsJson>);

  app.get('/auth/oidc/start', async (request, reply) => {
    if (!client) return reply.code(404).send(NOT_CONFIGURED);
    let started: Awaited<ReturnType<OidcClient['start']>>;
    try {
      started = await client.start();
    } catch (err) {
      if (!(err instanceof OidcUnavailableError)) throw err;
      request.log.warn({ err: err.message }, 'single sign-on: issuer discovery failed');
      return reply.code(503).header('cache-control', 'no-store').send({
        error: 'single sign-on is unavailable right now: the sign-on issuer cannot be reached. Sign in with email and password, or try again later.',
        code: 'sso_unavailable',
      } satisfies ErrorBody);
    }
    const { token } = await logins.begin(started.pending);
    return reply
      .code(302)
      .header('set-cookie', loginCookie(token, { secure, maxAgeSeconds: LOGIN_TTL_MS / 1000 }))
      .header('cache-control', 'no-store')
      .header('location', started.url.href)
      .send();
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    if (!client) return reply.code(404).send(NOT_CONFIGURED);
    // Whatever happens next, this sign-in is over: the cookie goes.
    void reply.header('set-cookie', loginCookie('', { secure, maxAgeSeconds: 0 })).header('cache-control', 'no-store');
    const fail = (reason: SsoFailure, detail: string) => {
      request.log.warn({ reason, detail }, 'single sign-on refused');
      return reply.code(303).header('location', `/console/?sso_failed=${reason}`).send();
    };
    try {
      return await finishSignOn(request, reply, fail);
    } catch (err) {
      request.log.error({ err }, 'single sign-on failed');
      return fail('failed', (err as Error).message);
    }
  });

  async function finishSignOn(request: FastifyRequest, reply: FastifyReply, fail: (reason: SsoFailure, detail: string) => FastifyReply) {
    const token = randomTokenCookie(request.headers.cookie, OIDC_LOGIN_COOKIE);
    const pending = token === undefined ? undefined : await logins.take(token);
    if (!pending) return fail('expired', token === undefined ? 'no sign-in cookie' : 'unknown, used or expired sign-in');
    // The issuer checks redirect_uri against the registered one, so it is rebuilt from PUBLIC_URL
    // rather than from the Host header the request came with.
    const q = request.url.indexOf('?');
    const callbackUrl = new URL(`${config.PUBLIC_URL}${OIDC_CALLBACK_PATH}${q < 0 ? '' : request.url.slice(q)}`);
    let claims: VerifiedOidcClaims;
    try {
      claims = await client!.finish(callbackUrl, pending);
    } catch (err) {
      if (err instanceof OidcCallbackError) return fail(err.reason, err.message);
      if (err instanceof OidcUnavailableError) return fail('unavailable', err.message);
      throw err;
    }
    // An address the issuer says it has not checked could be anyone's: it must not reach an account.
    if (claims.emailVerified === false) return fail('email_unverified', `${claims.email ?? claims.subject}: email_verified is false`);
    const result = await users.signInWithIdentity(
      { issuer: claims.issuer, subject: claims.subject, email: claims.email, name: claims.name },
      { role: config.OIDC_DEFAULT_ROLE, domains: config.OIDC_ALLOWED_DOMAINS },
    );
    if ('refused' in result) return fail(result.refused, `${claims.email ?? claims.subject} (${claims.issuer} ${claims.subject})`);
    await openSession({ users, sessions, ttlMs, secure }, request, reply, result.user);
    return reply.code(303).header('location', '/console/').send();
  }
};
