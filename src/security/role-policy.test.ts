import { describe, expect, it } from 'vitest';
import { isRole, isStateChanging, requiredCapability, roleAllows, ROLES, type Capability } from './role-policy.js';

const may = (role: (typeof ROLES)[number], method: string, pattern: string) => {
  const need = requiredCapability(method, pattern);
  return need !== undefined && roleAllows(role, need);
};

describe('role policy', () => {
  it('grants each role its own capability and every one below it, nothing above', () => {
    const table: Record<string, Capability[]> = {};
    for (const role of ROLES) table[role] = (['see', 'act', 'approve', 'admin'] as const).filter((c) => roleAllows(role, c));
    expect(table).toEqual({
      viewer: ['see'],
      operator: ['see', 'act'],
      approver: ['see', 'act', 'approve'],
      admin: ['see', 'act', 'approve', 'admin'],
    });
  });

  it('lets every role read, and only operators and above change an order', () => {
    for (const role of ROLES) expect(may(role, 'GET', '/api/orders')).toBe(true);
    expect(may('viewer', 'HEAD', '/api/orders/:id')).toBe(true);
    expect(may('viewer', 'POST', '/api/orders/:id/fulfil')).toBe(false);
    expect(may('operator', 'POST', '/api/orders/:id/fulfil')).toBe(true);
  });

  it('keeps the approval decision to approvers and admins', () => {
    expect(ROLES.filter((r) => may(r, 'POST', '/api/approvals/:id/decision'))).toEqual(['approver', 'admin']);
  });

  it('keeps managing people, the list of accounts included, to admins', () => {
    for (const [method, pattern] of [['GET', '/api/users'], ['HEAD', '/api/users'], ['POST', '/api/users'], ['PATCH', '/api/users/:id'], ['POST', '/api/users/:id/password']]) {
      expect(ROLES.filter((r) => may(r, method!, pattern!)), `${method} ${pattern}`).toEqual(['admin']);
    }
  });

  it('keeps the metrics scrape to admins among people', () => {
    for (const method of ['GET', 'HEAD']) expect(ROLES.filter((r) => may(r, method, '/metrics'))).toEqual(['admin']);
  });

  it('refuses a write route it has no entry for, to every role', () => {
    for (const role of ROLES) expect(may(role, 'POST', '/api/something-new')).toBe(false);
    // The entry is for one method: the same pattern with another is not covered.
    expect(requiredCapability('DELETE', '/api/orders')).toBeUndefined();
    expect(requiredCapability('post', '/api/orders')).toBe('act');
  });

  it('treats every method but GET, HEAD and OPTIONS as a change', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'post'].every(isStateChanging)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(isStateChanging)).toBe(false);
  });

  it('knows the four roles and nothing else', () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole('Admin')).toBe(false);
  });
});
