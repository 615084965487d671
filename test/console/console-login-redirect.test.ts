import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { buildServer } from '../../src/server/build-server.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const PASSWORD = 'correct horse battery staple';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('signing in from the console form', () => {
  let db: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await createUserRepository(db, { hashRounds: 4 }).add({ email: 'ana@example.com', role: 'approver', password: PASSWORD }, systemActor('test'));
    app = buildServer({ db, config: testAppConfig('console-login', { PASSWORD_HASH_ROUNDS: '4' }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const login = (fields: Record<string, string>) => app.inject({ method: 'POST', url: '/login', headers: FORM, payload: new URLSearchParams(fields).toString() });

  it('goes back to the console page the form names, with the session cookie set', async () => {
    const res = await login({ email: 'ana@example.com', password: PASSWORD, next: '/console/' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/');
    expect(String(res.headers['set-cookie'])).toMatch(/^orderops_session=/);
  });

  it('never goes to another site or outside the console; without next it goes to the dashboard as before', async () => {
    for (const next of ['//evil.example/console/', 'https://evil.example/', '/console/../api/me', '/api/me', '/console\\evil']) {
      const res = await login({ email: 'ana@example.com', password: PASSWORD, next });
      expect(res.headers.location, next).toBe('/dashboard');
    }
    expect((await login({ email: 'ana@example.com', password: PASSWORD })).headers.location).toBe('/dashboard');
  });

  it('brings a failed console sign-in back to the form with the failure flagged, and sets no cookie', async () => {
    const res = await login({ email: 'ana@example.com', password: 'wrong', next: '/console/' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/?failed=1');
    expect(res.headers['set-cookie']).toBeUndefined();
    // A form without next, and a JSON sign-in, still get the 401.
    expect((await login({ email: 'ana@example.com', password: 'wrong' })).statusCode).toBe(401);
  });
});
