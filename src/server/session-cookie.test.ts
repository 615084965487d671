import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz_0123456789-AB';

describe('session cookie', () => {
  it('finds the token among other cookies and ignores look-alikes', () => {
    expect(sessionTokenFrom(`a=1; orderops_session=${TOKEN}; b=2`)).toBe(TOKEN);
    expect(sessionTokenFrom(`xorderops_session=${TOKEN}`)).toBeUndefined();
    expect(sessionTokenFrom('orderops_session=short')).toBeUndefined();
    expect(sessionTokenFrom('orderops_session=has spaces and ; semicolons')).toBeUndefined();
    expect(sessionTokenFrom(undefined)).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Lax, for the whole site, and Secure only over https', () => {
    const plain = sessionCookie(TOKEN, { secure: false, maxAgeSeconds: 60 });
    expect(plain).toMatch(/^orderops_session=abc/);
    for (const attr of ['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=60']) expect(plain).toContain(attr);
    expect(plain).not.toContain('Secure');
    expect(sessionCookie(TOKEN, { secure: true, maxAgeSeconds: 60 })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toContain('Max-Age=0');
  });
});
