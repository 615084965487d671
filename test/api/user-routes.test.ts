import { PassThrough } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Role } from '../../src/security/role-policy.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { describeEachDb } from '../support/test-db.js';

// Debug-level request logs, so a password in a log line would be seen here.
const config = loadConfig({ LOG_LEVEL: 'debug', NODE_ENV: 'test', PASSWORD_HASH_ROUNDS: '4' } as NodeJS.ProcessEnv);
const token = 'user-routes-test-api-token-0123456789';
const PASSWORD = 'a long test password';
const cli: Actor = { kind: 'person', id: 'cli:test' };

interface Session {
  cookie: string;
  csrf: string;
}
type UserBody = { id: string; email: string; name: string | null; role: Role; disabled: boolean };

describeEachDb('people management over HTTP (/api/users)', (ctx) => {
  let app: FastifyInstance;
  let log = '';
  /** Every answer, to check no password ever comes back. */
  const answers: string[] = [];
  /** Every password sent or set in this suite. */
  const passwords = new Set([PASSWORD]);
  const ids: Record<string, string> = {};
  let admin: Session;

  const send = async (method: 'GET' | 'POST' | 'PATCH', url: string, who: Session | 'token' | null, payload?: object) => {
    const headers: Record<string, string> =
      who === 'token' ? { authorization: `Bearer ${token}` } : who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {};
    const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    answers.push(res.body);
    return res;
  };
  const signIn = async (email: string, password = PASSWORD): Promise<Session> => {
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email, password } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json<{ csrf_token: string }>().csrf_token };
  };
  const canSignIn = async (email: string, password = PASSWORD) =>
    (await app.inject({ method: 'POST', url: '/login', payload: { email, password } })).statusCode === 200;
  const me = async (s: Session) => (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).statusCode;
  const issuePaths = (res: LightMyRequestResponse) => res.json<{ issues?: { path: string }[] }>().issues?.map((i) => i.path);
  const auditOf = async (id: string) =>
    (await ctx.db.query<{ actor_kind: string; actor_id: string; action: string; data: Record<string, unknown> }>(
      'SELECT actor_kind, actor_id, action, data FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY id',
      ['user', id],
    )).rows;

  beforeAll(async () => {
    const users = createUserRepository(ctx.db, { hashRounds: 4 });
    for (const [email, role] of [
      ['root.admin@example.com', 'admin'],
      ['vera.viewer@example.com', 'viewer'],
      ['otto.operator@example.com', 'operator'],
      ['alma.approver@example.com', 'approver'],
    ] as const) ids[email] = (await users.add({ email, role, password: PASSWORD }, cli)).id;
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    app = buildServer({ db: ctx.db, config: { ...config, API_TOKEN: token }, logStream });
    await app.ready();
    admin = await signIn('root.admin@example.com');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('refuses every user route to viewers, operators and approvers (403), and to no credentials (401)', async () => {
    const target = ids['vera.viewer@example.com']!;
    const routes = [
      ['GET', '/api/users', undefined],
      ['POST', '/api/users', { email: 'x@example.com', role: 'admin', password: 'another long password' }],
      ['PATCH', `/api/users/${target}`, { role: 'admin' }],
      ['POST', `/api/users/${target}/password`, { password: 'another long password' }],
    ] as const;
    for (const email of ['vera.viewer@example.com', 'otto.operator@example.com', 'alma.approver@example.com']) {
      const s = await signIn(email);
      for (const [method, url, body] of routes) {
        const res = await send(method, url, s, body);
        expect(res.statusCode, `${email} ${method} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ code: 'forbidden_role' });
      }
    }
    for (const [method, url, body] of routes) expect((await send(method, url, null, body)).statusCode, `${method} ${url}`).toBe(401);
    expect((await createUserRepository(ctx.db, { hashRounds: 4 }).findByEmail('x@example.com'))).toBeNull();
    expect((await createUserRepository(ctx.db, { hashRounds: 4 }).findById(target))?.role).toBe('viewer');
  });

  it('lists accounts by email a page at a time, without duplicates, for an admin and API_TOKEN', async () => {
    const walk = async (who: Session | 'token', limit: number) => {
      const emails: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await send('GET', `/api/users?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, who);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ items: UserBody[]; next_cursor: string | null }>();
        expect(body.items.length).toBeLessThanOrEqual(limit);
        for (const u of body.items) expect(Object.keys(u).sort()).toEqual(['created_at', 'disabled', 'email', 'id', 'last_login_at', 'name', 'role']);
        emails.push(...body.items.map((u) => u.email));
        cursor = body.next_cursor;
      } while (cursor);
      return emails;
    };
    const all = await walk(admin, 200);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(Object.keys(ids)));
    for (const limit of [1, 3]) expect(await walk(admin, limit)).toEqual(all);
    expect(await walk('token', 2)).toEqual(all);
    for (const [query, field] of [['limit=0', 'limit'], ['limit=x', 'limit'], ['cursor=nope', 'cursor']]) {
      const res = await send('GET', `/api/users?${query}`, admin);
      expect(res.statusCode).toBe(400);
      expect(issuePaths(res)).toContain(field);
    }
  });

  it('creates an account that can sign in, with an audit row naming the admin; refuses bad fields by name', async () => {
    const password = 'new operator password 1';
    passwords.add(password);
    const res = await send('POST', '/api/users', admin, { email: ' Nina.New@Example.com ', name: 'Nina New', role: 'operator', password });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json<{ user: UserBody }>().user;
    expect(user).toMatchObject({ email: 'nina.new@example.com', name: 'Nina New', role: 'operator', disabled: false });
    ids[user.email] = user.id;
    expect(await canSignIn('nina.new@example.com', password)).toBe(true);
    expect(await auditOf(user.id)).toEqual([
      { actor_kind: 'person', actor_id: 'root.admin@example.com', action: 'user.created', data: { email: 'nina.new@example.com', role: 'operator' } },
    ]);

    const refused = async (body: object, field: string, status = 400) => {
      const r = await send('POST', '/api/users', admin, body);
      expect(r.statusCode, `${JSON.stringify(body)}: ${r.body}`).toBe(status);
      if (status === 400) expect(issuePaths(r)).toEqual([field]);
      return r;
    };
    await refused({ email: 'short@example.com', role: 'viewer', password: 'short' }, 'password');
    await refused({ email: 'not-an-email', role: 'viewer', password: 'a long enough password' }, 'email');
    await refused({ email: 'r@example.com', role: 'root', password: 'a long enough password' }, 'role');
    await refused({ email: 'r@example.com', role: 'viewer' }, 'password');
    await refused({ email: 'r@example.com', role: 'viewer', password: 'a long enough password', admin: true }, '(body)');
    const dup = await refused({ email: 'NINA.NEW@example.com', role: 'viewer', password: 'a long enough password' }, '', 409);
    expect(dup.json()).toMatchObject({ code: 'user_exists' });
    // A session's change needs its CSRF token.
    const noCsrf = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie }, payload: { email: 'r@example.com', role: 'viewer', password: 'a long enough password' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await createUserRepository(ctx.db, { hashRounds: 4 }).findByEmail('r@example.com')).toBeNull();
  });

  it('changes role and name, disables (ending the sessions) and enables again, one audit row per change', async () => {
    const id = ids['otto.operator@example.com']!;
    const otto = await signIn('otto.operator@example.com');
    const promoted = await send('PATCH', `/api/users/${id}`, admin, { role: 'approver', name: '  Otto Ops ' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({ user: { role: 'approver', name: 'Otto Ops', disabled: false } });
    // The open session has the new role at once.
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: otto.cookie } })).json()).toMatchObject({ user: { role: 'approver' } });

    const disabled = await send('PATCH', `/api/users/${id}`, admin, { disabled: true });
    expect(disabled.json()).toMatchObject({ user: { disabled: true } });
    expect(await me(otto)).toBe(401);
    expect((await ctx.db.query('SELECT 1 FROM sessions WHERE user_id = $1', [id])).rows).toEqual([]);
    expect(await canSignIn('otto.operator@example.com')).toBe(false);

    expect((await send('PATCH', `/api/users/${id}`, admin, { disabled: false, name: null })).json()).toMatchObject({ user: { disabled: false, name: null } });
    expect(await canSignIn('otto.operator@example.com')).toBe(true);
    // Nothing changed: no audit row.
    expect((await send('PATCH', `/api/users/${id}`, admin, { role: 'approver' })).statusCode).toBe(200);

    expect((await auditOf(id)).slice(1).map((a) => [a.actor_id, a.action, a.data])).toEqual([
      ['root.admin@example.com', 'user.role_changed', { email: 'otto.operator@example.com', from: 'operator', to: 'approver' }],
      ['root.admin@example.com', 'user.renamed', { email: 'otto.operator@example.com', from: null, to: 'Otto Ops' }],
      ['root.admin@example.com', 'user.disabled', { email: 'otto.operator@example.com' }],
      ['root.admin@example.com', 'user.enabled', { email: 'otto.operator@example.com' }],
      ['root.admin@example.com', 'user.renamed', { email: 'otto.operator@example.com', from: 'Otto Ops', to: null }],
    ]);

    for (const [body, field] of [[{}, '(body)'], [{ role: 'boss' }, 'role'], [{ disabled: 'yes' }, 'disabled'], [{ email: 'new@example.com' }, '(body)']] as const) {
      const res = await send('PATCH', `/api/users/${id}`, admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(issuePaths(res)).toContain(field);
    }
    const unknown = await send('PATCH', '/api/users/usr_unknown', admin, { role: 'viewer' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'user_not_found' });
  });

  it('refuses to demote or disable the last enabled admin (409), then allows it once another admin exists', async () => {
    const self = ids['root.admin@example.com']!;
    for (const body of [{ role: 'approver' }, { disabled: true }, { role: 'viewer', disabled: true }]) {
      const res = await send('PATCH', `/api/users/${self}`, admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.json()).toMatchObject({ code: 'last_admin' });
    }
    // API_TOKEN cannot leave the deployment without an admin either.
    expect((await send('PATCH', `/api/users/${self}`, 'token', { disabled: true })).statusCode).toBe(409);
    // A disabled admin does not count.
    const spare = ids['alma.approver@example.com']!;
    await send('PATCH', `/api/users/${spare}`, admin, { role: 'admin', disabled: true });
    expect((await send('PATCH', `/api/users/${self}`, admin, { role: 'approver' })).statusCode).toBe(409);
    expect(await me(admin)).toBe(200);

    await send('PATCH', `/api/users/${spare}`, admin, { disabled: false });
    const demoted = await send('PATCH', `/api/users/${self}`, admin, { role: 'approver' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    // Demoted at once: this session may no longer manage people.
    expect((await send('GET', '/api/users', admin)).statusCode).toBe(403);
    const alma = await signIn('alma.approver@example.com');
    expect((await send('PATCH', `/api/users/${spare}`, alma, { role: 'operator' })).json()).toMatchObject({ code: 'last_admin' });
    expect((await send('PATCH', `/api/users/${self}`, alma, { role: 'admin' })).statusCode).toBe(200);
  });

  it('an admin sets a new password: the old one stops working and the account\'s sessions end', async () => {
    const id = ids['vera.viewer@example.com']!;
    const vera = await signIn('vera.viewer@example.com');
    const weak = await send('POST', `/api/users/${id}/password`, admin, { password: 'too short' });
    expect(weak.statusCode).toBe(400);
    expect(issuePaths(weak)).toEqual(['password']);
    expect(await me(vera)).toBe(200);

    const fresh = 'fresh viewer password 42';
    passwords.add(fresh);
    const res = await send('POST', `/api/users/${id}/password`, admin, { password: fresh });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { id, email: 'vera.viewer@example.com' } });
    expect(await me(vera)).toBe(401);
    expect(await canSignIn('vera.viewer@example.com')).toBe(false);
    expect(await canSignIn('vera.viewer@example.com', fresh)).toBe(true);
    expect((await auditOf(id)).at(-1)).toEqual({
      actor_kind: 'person', actor_id: 'root.admin@example.com', action: 'user.password_reset', data: { email: 'vera.viewer@example.com' },
    });
    expect((await send('POST', '/api/users/usr_unknown/password', admin, { password: fresh })).statusCode).toBe(404);
  });

  it('never puts a password or its hash in an answer, the request log or the audit log', async () => {
    expect(answers.length).toBeGreaterThan(30);
    expect(log).toContain('/api/users');
    const audit = JSON.stringify((await ctx.db.query('SELECT data FROM audit_log')).rows);
    for (const text of [...answers, log, audit]) {
      for (const p of passwords) expect(text).not.toContain(p);
      expect(text).not.toMatch(/password_hash|\$2[aby]\$/);
    }
  });
});
