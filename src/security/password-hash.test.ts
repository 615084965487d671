import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.js';

describe('password hashing', () => {
  it('verifies the password it hashed and no other', async () => {
    const hash = await hashPassword('correct horse battery', 4);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here', 4), hashPassword('same password here', 4)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('records the work factor in the hash', async () => {
    expect(await hashPassword('a long enough secret', 5)).toMatch(/^\$2[aby]\$05\$/);
  });

  it('never matches an account without a hash, even the decoy password', async () => {
    expect(await verifyPassword('decoy password never issued', null)).toBe(false);
    expect(await verifyPassword('anything at all', undefined)).toBe(false);
  });

  it('refuses short passwords and those bcrypt would cut off', async () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(73))).toMatch(/at most 72 bytes/);
    expect(passwordProblem('é'.repeat(37))).toMatch(/at most 72 bytes/);
    expect(passwordProblem('twelve chars')).toBeUndefined();
    await expect(hashPassword('short', 4)).rejects.toThrow(/at least 12/);
  });
});
