import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/support/test-db.js';
import type { Db } from '../db/db.js';
import { createOidcLoginStore } from './oidc-login-store.js';

describe('oidc login store', () => {
  let db: Db;
  let at = new Date('2026-03-01T10:00:00Z');
  const store = () => createOidcLoginStore(db, { ttlMs: 10 * 60_000, now: () => at });
  const login = { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1' };

  beforeAll(async () => {
    db = await openTestDb('pglite');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('gives a sign-in back once, to its own token only, and keeps only the token\'s hash', async () => {
    const { token } = await store().begin(login);
    const ids = (await db.query<{ id: string }>('SELECT id FROM oidc_logins')).rows.map((r) => r.id);
    expect(ids).not.toContain(token);
    expect(await store().take(`${token}x`)).toBeUndefined();
    expect(await store().take(token)).toEqual(login);
    expect(await store().take(token)).toBeUndefined();
  });

  it('lets a sign-in lapse after its time, and clears lapsed ones when the next begins', async () => {
    const { token } = await store().begin(login);
    at = new Date(at.getTime() + 10 * 60_000);
    expect(await store().take(token)).toBeUndefined();
    await store().begin({ ...login, state: 'state-2' });
    expect((await db.query<{ state: string }>('SELECT state FROM oidc_logins')).rows).toEqual([{ state: 'state-2' }]);
  });
});
