import { z } from 'zod';
import { createLoginRateLimit } from '../../security/login-rate-limit.js';
import { ROLES, roleAllows, type Capability } from '../../security/role-policy.js';
import { createSessionStore } from '../../security/session-store.js';
import { createUserRepository } from '../../security/user-repository.js';
import type { ApiOperation } from '../api-operation.js';
import { errorBodySchema } from '../error-body-schema.js';
import type { ErrorBody } from '../error-handler.js';
import { parseRequestBody } from '../parse-request-body.js';
import type { RoutePlugin } from '../route-plugin.js';
import { openSession } from '../open-session.js';
import { clearedSessionCookie, sessionTokenFrom } from '../session-cookie.js';

const FORM = 'application/x-www-form-urlencoded';
const CAPABILITIES: readonly Capability[] = ['see', 'act', 'approve', 'admin'];

const loginBody = z.object({
  email: z.string({ error: 'is required' }).trim().toLowerCase().min(1, 'is required').max(320, 'must be at most 320 characters'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1000, 'must be at most 1000 characters'),
  next: z.string().max(200).optional().describe('A form post only: the console page to go to after signing in (a path under /console/).'),
});

/** Where a signed-in form post goes: the console page it names, else the dashboard; never another site. */
function afterLogin(next: string | undefined): string {
  return next !== undefined && /^\/console\/[A-Za-z0-9/_.#-]*$/.test(next) && !next.includes('..') ? next : '/dashboard';
}

const userJson = z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), role: z.enum(ROLES) });
const meJson = z.object({
  user: userJson.nullable().describe('The signed-in person; null for API_TOKEN or an open loopback server.'),
  via: z.enum(['session', 'api_token', 'open']),
  permissions: z.array(z.enum(['see', 'act', 'approve', 'admin'])),
  csrf_token: z.string().nullable().describe('Send it as the x-csrf-token header (or form field _csrf) with every POST, PUT, PATCH and DELETE of this session.'),
  expires_at: z.string().nullable(),
});

export const sessionOperations: ApiOperation[] = [
  {
    method: 'POST',
    path: '/login',
    tag: 'people',
    summary: 'Sign in with email and password (JSON or a form); sets the orderops_session cookie',
    body: loginBody,
    responses: {
      200: { description: 'Signed in (JSON); a form post is redirected (303) to the dashboard, or to the console page named by next', schema: meJson },
      400: { description: 'A missing field, named in issues', schema: errorBodySchema },
      401: { description: 'Wrong email or password (the answer does not say which)', schema: errorBodySchema },
      429: { description: 'Too many failed sign-ins for this email or address; Retry-After says when to try again', schema: errorBodySchema },
    },
  },
  {
    method: 'POST',
    path: '/logout',
    tag: 'people',
    summary: 'End this session and clear its cookie (needs the CSRF token)',
    responses: { 200: { description: 'Signed out', schema: z.object({ signed_out: z.boolean() }) } },
  },
  {
    method: 'GET',
    path: '/api/me',
    tag: 'people',
    summary: 'Who is calling, what their role allows, and the CSRF token for forms',
    responses: { 200: { description: 'The caller', schema: meJson } },
  },
];

/** What /login and /api/me answer for a signed-in person. */
function sessionMe(user: z.infer<typeof userJson>, csrfToken: string, expiresAt: string): z.infer<typeof meJson> {
  return {
    user,
    via: 'session',
    permissions: CAPABILITIES.filter((c) => roleAllows(user.role, c)),
    csrf_token: csrfToken,
    expires_at: expiresAt,
  };
}

/** POST /login, POST /logout and GET /api/me: people signing in to the API and the console. */
export const sessionRoutes: RoutePlugin = (app, deps) => {
  const { db, config } = deps;
  const users = createUserRepository(db, { hashRounds: config.PASSWORD_HASH_ROUNDS });
  const ttlMs = config.SESSION_TTL_HOURS * 3_600_000;
  const sessions = createSessionStore(db, { ttlMs });
  const limits = createLoginRateLimit(db);
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;

  app.post('/login', async (request, reply) => {
    const body = parseRequestBody(loginBody, request.body);
    const ip = request.ip;
    const wait = await limits.retryAfterSeconds(body.email, ip);
    if (wait > 0) {
      return reply.code(429).header('retry-after', String(wait)).send({
        error: `too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min`,
        code: 'too_many_attempts',
      } satisfies ErrorBody);
    }
    const user = await users.verifyPassword(body.email, body.password);
    if (!user) {
      await limits.recordFailure(body.email, ip);
      const back = afterLogin(body.next);
      // The console's own form gets its page back with the failure shown, not a JSON body.
      if (request.headers['content-type']?.startsWith(FORM) && back.startsWith('/console/')) return reply.code(303).header('location', '/console/?failed=1').send();
      return reply.code(401).send({ error: 'wrong email or password', code: 'bad_credentials' } satisfies ErrorBody);
    }
    await limits.recordSuccess(body.email);
    const session = await openSession({ users, sessions, ttlMs, secure }, request, reply, user);
    if (request.headers['content-type']?.startsWith(FORM)) return reply.code(303).header('location', afterLogin(body.next)).send();
    return sessionMe({ id: user.id, email: user.email, name: user.name, role: user.role }, session.csrfToken, session.expiresAt);
  });

  app.post('/logout', async (request, reply) => {
    const token = request.apiCaller?.kind === 'user' ? sessionTokenFrom(request.headers.cookie) : undefined;
    if (token) await sessions.delete(token);
    void reply.header('set-cookie', clearedSessionCookie({ secure })).header('cache-control', 'no-store');
    return { signed_out: token !== undefined };
  });

  app.get('/api/me', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const caller = request.apiCaller;
    if (caller?.kind === 'user') {
      const u = caller.user;
      return sessionMe({ id: u.userId, email: u.email, name: u.name, role: u.role }, u.csrfToken, u.expiresAt);
    }
    // The channel tokens never reach here (they may only create orders), so this is full access.
    return { user: null, via: caller?.kind === 'full' ? 'api_token' : 'open', permissions: [...CAPABILITIES], csrf_token: null, expires_at: null } satisfies z.infer<typeof meJson>;
  });
};
