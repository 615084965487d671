import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { LocalOidcIssuer, type IdTokenTampering, type IssuerPerson } from '../support/local-oidc-issuer.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const PUBLIC_URL = 'http://orderops.test:3000';
const CLIENT = { id: 'orderops-console', secret: 'issuer-client-secret-0123456789', redirectUri: `${PUBLIC_URL}/auth/oidc/callback` };
const PASSWORD = 'correct horse battery staple';

interface Callback {
  /** The callback URL the issuer sent the browser to (path and query). */
  target: string;
  /** The Cookie header the browser carries to it. */
  cookie: string;
}

describe('single sign-on through an OpenID Connect issuer', () => {
  let db: Db;
  let app: FastifyInstance;
  const issuer = new LocalOidcIssuer(CLIENT);

  beforeAll(async () => {
    await issuer.start();
    db = await openTestDb('pglite');
    const users = createUserRepository(db, { hashRounds: 4 });
    const admin = systemActor('test');
    await users.add({ email: 'ana@example.com', role: 'approver', password: PASSWORD }, admin);
    await users.add({ email: 'gone@example.com', role: 'operator', password: PASSWORD }, admin);
    await users.disable('gone@example.com', admin);
    await users.add({ email: 'outsider@partner.org', role: 'viewer', password: PASSWORD }, admin);
    app = buildServer({
      db,
      config: testAppConfig('oidc', {
        PASSWORD_HASH_ROUNDS: '4',
        PUBLIC_URL,
        OIDC_ISSUER: issuer.url,
        OIDC_CLIENT_ID: CLIENT.id,
        OIDC_CLIENT_SECRET: CLIENT.secret,
        OIDC_DEFAULT_ROLE: 'operator',
        OIDC_ALLOWED_DOMAINS: 'example.com',
      }),
    });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await issuer.stop();
  });

  /** /auth/oidc/start, then the issuer's authorization endpoint: where the browser lands next. */
  const goToIssuer = async (person?: IssuerPerson, tampering?: IdTokenTampering): Promise<Callback> => {
    if (person) issuer.signIn(person, tampering);
    else issuer.deny();
    const start = await app.inject({ method: 'GET', url: '/auth/oidc/start' });
    expect(start.statusCode, start.body).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(issuer.url);
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const atIssuer = await fetch(authorize, { redirect: 'manual' });
    expect(atIssuer.status).toBe(302);
    const back = new URL(atIssuer.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirectUri);
    return { target: `${back.pathname}${back.search}`, cookie };
  };
  const callback = (cb: Callback) => app.inject({ method: 'GET', url: cb.target, headers: { cookie: cb.cookie } });
  const sessionCookieOf = (res: { headers: Record<string, unknown> }) => {
    const all = [res.headers['set-cookie']].flat().map(String);
    return all.find((c) => c.startsWith('orderops_session='))?.split(';')[0];
  };
  const me = (cookie: string) => app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  const identityOf = async (email: string) =>
    (await db.query<{ oidc_issuer: string | null; oidc_subject: string | null }>('SELECT oidc_issuer, oidc_subject FROM users WHERE email = $1', [email])).rows[0];
  const userCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;
  const expectRefused = (res: Awaited<ReturnType<typeof callback>>, reason: string) => {
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/?sso_failed=${reason}`);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(res.body).toBe('');
  };

  it('tells the login page that single sign-on is on', async () => {
    expect((await app.inject({ method: 'GET', url: '/auth/methods' })).json()).toEqual({ sso: true });
  });

  it('sends the browser to the issuer with PKCE (S256), state and nonce, and a short-lived HttpOnly cookie', async () => {
    const start = await app.inject({ method: 'GET', url: '/auth/oidc/start' });
    const authorize = new URL(start.headers.location as string);
    const q = authorize.searchParams;
    expect(q.get('client_id')).toBe(CLIENT.id);
    expect(q.get('redirect_uri')).toBe(CLIENT.redirectUri);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toContain('openid');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    const cookie = String(start.headers['set-cookie']);
    expect(cookie).toMatch(/^orderops_oidc=[A-Za-z0-9_-]+; Path=\/auth\/oidc\/callback; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // Nothing secret leaves in the URL: the PKCE verifier stays on the server.
    const stored = (await db.query<{ code_verifier: string }>('SELECT code_verifier FROM oidc_logins')).rows.map((r) => r.code_verifier);
    for (const verifier of stored) expect(authorize.href).not.toContain(verifier);
  });

  it('signs an existing account in by its email, links the subject, and opens the same session as the password', async () => {
    const res = await callback(await goToIssuer({ sub: 'ana-at-issuer', email: 'Ana@Example.com', email_verified: true, name: 'Ana' }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/');
    const cookies = [res.headers['set-cookie']].flat().map(String);
    expect(cookies.find((c) => c.startsWith('orderops_oidc='))).toContain('Max-Age=0');
    const session = sessionCookieOf(res);
    expect(session).toBeDefined();
    const who = await me(session!);
    expect(who.statusCode).toBe(200);
    const body = who.json<{ user: { email: string; role: string }; via: string; permissions: string[]; csrf_token: string }>();
    expect(body.user).toMatchObject({ email: 'ana@example.com', role: 'approver' });
    expect(body.via).toBe('session');
    expect(body.permissions).toContain('approve');
    expect(await identityOf('ana@example.com')).toEqual({ oidc_issuer: issuer.url, oidc_subject: 'ana-at-issuer' });
    // The session works like a password one: a change needs its CSRF token.
    expect((await app.inject({ method: 'POST', url: '/logout', headers: { cookie: session! } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/logout', headers: { cookie: session!, 'x-csrf-token': body.csrf_token } });
    expect(out.json()).toEqual({ signed_out: true });
  });

  it('finds a linked account by its subject even after the email changed at the issuer', async () => {
    const res = await callback(await goToIssuer({ sub: 'ana-at-issuer', email: 'ana.new@example.com', email_verified: true }));
    expect(res.headers.location).toBe('/console/');
    expect((await me(sessionCookieOf(res)!)).json()).toMatchObject({ user: { email: 'ana@example.com', role: 'approver' } });
  });

  it('creates an account with OIDC_DEFAULT_ROLE at the first sign-on from an allowed domain', async () => {
    const res = await callback(await goToIssuer({ sub: 'ben-at-issuer', email: 'ben@example.com', name: 'Ben' }));
    expect(res.headers.location).toBe('/console/');
    expect((await me(sessionCookieOf(res)!)).json()).toMatchObject({ user: { email: 'ben@example.com', name: 'Ben', role: 'operator' } });
    expect(await identityOf('ben@example.com')).toEqual({ oidc_issuer: issuer.url, oidc_subject: 'ben-at-issuer' });
    // No password was made for it.
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ben@example.com', password: PASSWORD } });
    expect(login.statusCode).toBe(401);
  });

  it('creates no account outside the allowed domains, but signs in one an admin made there', async () => {
    const before = await userCount();
    expectRefused(await callback(await goToIssuer({ sub: 'eve-at-issuer', email: 'eve@elsewhere.net', email_verified: true })), 'no_account');
    expect(await userCount()).toBe(before);
    const res = await callback(await goToIssuer({ sub: 'out-at-issuer', email: 'outsider@partner.org', email_verified: true }));
    expect(res.headers.location).toBe('/console/');
  });

  it('refuses a disabled account', async () => {
    expectRefused(await callback(await goToIssuer({ sub: 'gone-at-issuer', email: 'gone@example.com', email_verified: true })), 'disabled');
    expect(await identityOf('gone@example.com')).toEqual({ oidc_issuer: null, oidc_subject: null });
  });

  it('refuses an email the issuer marks unverified, as a boolean or a string', async () => {
    expectRefused(await callback(await goToIssuer({ sub: 'mallory-1', email: 'ana@example.com', email_verified: false })), 'email_unverified');
    expectRefused(await callback(await goToIssuer({ sub: 'mallory-2', email: 'carl@example.com', email_verified: 'false' })), 'email_unverified');
    expect((await db.query('SELECT 1 FROM users WHERE email = $1', ['carl@example.com'])).rows).toEqual([]);
  });

  it('refuses another subject of the same issuer claiming a linked account\'s email', async () => {
    expectRefused(await callback(await goToIssuer({ sub: 'not-ana', email: 'ana@example.com', email_verified: true })), 'linked_elsewhere');
  });

  it('refuses a callback whose state is not the one sent, and then the right state too', async () => {
    const cb = await goToIssuer({ sub: 'dan-at-issuer', email: 'dan@example.com', email_verified: true });
    const url = new URL(cb.target, PUBLIC_URL);
    url.searchParams.set('state', 'forged-state-value');
    expectRefused(await callback({ ...cb, target: `${url.pathname}${url.search}` }), 'invalid');
    // The sign-in it belonged to is spent.
    expectRefused(await callback(cb), 'expired');
    expect((await db.query('SELECT 1 FROM users WHERE email = $1', ['dan@example.com'])).rows).toEqual([]);
  });

  it('refuses a callback without the cookie of the browser that started it', async () => {
    const cb = await goToIssuer({ sub: 'dan-at-issuer', email: 'dan@example.com', email_verified: true });
    expectRefused(await app.inject({ method: 'GET', url: cb.target }), 'expired');
    expectRefused(await callback({ ...cb, cookie: 'orderops_oidc=someone-elses-sign-in-token-0000' }), 'expired');
  });

  it('refuses a replayed callback and a replayed code', async () => {
    const first = await goToIssuer({ sub: 'ana-at-issuer', email: 'ana@example.com', email_verified: true });
    expect((await callback(first)).headers.location).toBe('/console/');
    // The same callback again, cookie and all.
    expectRefused(await callback(first), 'expired');
    // The used code inside a fresh sign-in of the same browser: the issuer refuses it.
    const second = await goToIssuer({ sub: 'ana-at-issuer', email: 'ana@example.com', email_verified: true });
    const url = new URL(second.target, PUBLIC_URL);
    url.searchParams.set('code', new URL(first.target, PUBLIC_URL).searchParams.get('code')!);
    const answered = issuer.tokenAnswers.length;
    expectRefused(await callback({ ...second, target: `${url.pathname}${url.search}` }), 'invalid');
    expect(issuer.tokenAnswers.slice(answered)).toEqual(['invalid_grant']);
  });

  it('refuses an ID token signed by a key not in the issuer\'s JWKS', async () => {
    const answered = issuer.tokenAnswers.length;
    expectRefused(await callback(await goToIssuer({ sub: 'fay-at-issuer', email: 'fay@example.com', email_verified: true }, { foreignKey: true })), 'invalid');
    expect(issuer.tokenAnswers.slice(answered)).toEqual(['issued']);
    expect((await db.query('SELECT 1 FROM users WHERE email = $1', ['fay@example.com'])).rows).toEqual([]);
  });

  it('refuses an ID token for another audience, from another issuer, or with another nonce', async () => {
    const person = { sub: 'fay-at-issuer', email: 'fay@example.com', email_verified: true };
    expectRefused(await callback(await goToIssuer(person, { audience: 'some-other-client' })), 'invalid');
    expectRefused(await callback(await goToIssuer(person, { issuer: 'http://127.0.0.1:1' })), 'invalid');
    expectRefused(await callback(await goToIssuer(person, { nonce: 'replayed-nonce' })), 'invalid');
    expect((await db.query('SELECT 1 FROM users WHERE email = $1', ['fay@example.com'])).rows).toEqual([]);
  });

  it('comes back to the login page when the person cancels at the issuer', async () => {
    expectRefused(await callback(await goToIssuer()), 'denied');
  });
});

describe('single sign-on with the issuer down or not configured', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await createUserRepository(db, { hashRounds: 4 }).add({ email: 'ana@example.com', role: 'viewer', password: PASSWORD }, systemActor('test'));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('starts with an unreachable issuer, answers 503 at the start, and password sign-in still works', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const app = buildServer({
      db,
      config: testAppConfig('oidc-down', { PASSWORD_HASH_ROUNDS: '4', PUBLIC_URL, OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret }),
    });
    try {
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/auth/methods' })).json()).toEqual({ sso: true });
      const start = await app.inject({ method: 'GET', url: '/auth/oidc/start' });
      expect(start.statusCode).toBe(503);
      expect(start.json()).toMatchObject({ code: 'sso_unavailable' });
      expect(start.json<{ error: string }>().error).toMatch(/cannot be reached/);
      expect(start.headers['set-cookie']).toBeUndefined();
      const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ana@example.com', password: PASSWORD } });
      expect(login.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('without OIDC_ISSUER the login page offers no single sign-on and the routes say it is off', async () => {
    const app = buildServer({ db, config: testAppConfig('oidc-off', { PASSWORD_HASH_ROUNDS: '4' }) });
    try {
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/auth/methods' })).json()).toEqual({ sso: false });
      for (const url of ['/auth/oidc/start', '/auth/oidc/callback?code=x&state=y']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ code: 'sso_not_configured' });
      }
    } finally {
      await app.close();
    }
  });
});
