import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../test/support/test-db.js';
import { loadConfig } from '../../config/config.js';
import { auditTrail } from '../../domain/audit/audit-log.js';
import { createUserRepository } from '../../security/user-repository.js';
import { CliError } from '../cli-error.js';
import { addUserCommand, disableUserCommand, listUsersCommand, resetPasswordCommand, setUserRoleCommand } from './users.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', PASSWORD_HASH_ROUNDS: '4' } as NodeJS.ProcessEnv);
const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');
const stdin = (text: string) => async () => text;
const noStdin = async () => {
  throw new Error('stdin must not be read without --password-stdin');
};
const output = () => {
  const lines: string[] = [];
  return { lines, print: (l: string) => void lines.push(l) };
};

describe('orderops users', () => {
  const holder = useTestDb();
  const repo = () => createUserRepository(holder.db, { hashRounds: 4 });

  it('adds an account with a generated password that signs in, printed once', async () => {
    const out = output();
    await addUserCommand(holder.db, config, { email: 'Ana@Example.com', role: 'approver', name: 'Ana Ops' }, noStdin, out.print);
    expect(out.lines[0]).toBe('added ana@example.com as approver');
    const password = out.lines[1]!.replace(/^password: /, '');
    expect(password).toHaveLength(24);
    expect(await repo().verifyPassword('ana@example.com', password)).toMatchObject({ role: 'approver', name: 'Ana Ops' });
    const audit = await auditTrail(holder.db, 'user', (await repo().findByEmail('ana@example.com'))!.id);
    expect(audit.map((a) => [a.actor_kind, a.action])).toEqual([['person', 'user.created']]);
    expect(audit[0]!.actor_id).toMatch(/^cli:/);
  });

  it('takes the password from stdin when asked, without printing it', async () => {
    const out = output();
    await addUserCommand(holder.db, config, { email: 'ben@example.com', role: 'viewer', passwordStdin: true }, stdin('piped password 123\n'), out.print);
    expect(out.lines).toEqual(['added ben@example.com as viewer']);
    expect(await repo().verifyPassword('ben@example.com', 'piped password 123')).not.toBeNull();
  });

  it('refuses a bad role, a short password and a second account for one email, naming the cause', async () => {
    await expect(addUserCommand(holder.db, config, { email: 'c@example.com', role: 'root' }, noStdin, output().print)).rejects.toThrow(
      new CliError('--role must be one of viewer, operator, approver, admin, got "root"'),
    );
    await expect(addUserCommand(holder.db, config, { email: 'c@example.com' }, noStdin, output().print)).rejects.toThrow(/--role is required/);
    await expect(addUserCommand(holder.db, config, { email: 'c@example.com', role: 'viewer', passwordStdin: true }, stdin('short\n'), output().print)).rejects.toThrow(
      /--password-stdin must be at least 12 characters/,
    );
    await expect(addUserCommand(holder.db, config, { email: 'not-an-email', role: 'viewer' }, noStdin, output().print)).rejects.toThrow(/not an email address/);
    await expect(addUserCommand(holder.db, config, { email: 'BEN@example.com', role: 'admin' }, noStdin, output().print)).rejects.toThrow(/ben@example.com already has an account/);
    expect((await repo().list()).map((u) => u.email)).toEqual(['ana@example.com', 'ben@example.com']);
  });

  it('lists, changes a role, resets a password and disables', async () => {
    const listed = output();
    await listUsersCommand(holder.db, config, {}, listed.print);
    expect(listed.lines).toEqual([expect.stringMatching(/^ana@example.com +approver +active +Ana Ops/), expect.stringMatching(/^ben@example.com +viewer +active/)]);

    const role = output();
    await setUserRoleCommand(holder.db, config, { email: 'ben@example.com', role: 'operator' }, role.print);
    expect(role.lines).toEqual(['ben@example.com is now operator']);
    await expect(setUserRoleCommand(holder.db, config, { email: 'ben@example.com', role: 'boss' }, output().print)).rejects.toThrow(/--role must be one of/);
    await expect(setUserRoleCommand(holder.db, config, { email: 'zed@example.com', role: 'viewer' }, output().print)).rejects.toThrow('no account for zed@example.com');

    const reset = output();
    await resetPasswordCommand(holder.db, config, { email: 'ben@example.com' }, noStdin, reset.print);
    const fresh = reset.lines[1]!.replace(/^password: /, '');
    expect(await repo().verifyPassword('ben@example.com', 'piped password 123')).toBeNull();
    expect(await repo().verifyPassword('ben@example.com', fresh)).toMatchObject({ role: 'operator' });

    await disableUserCommand(holder.db, config, 'ben@example.com', output().print);
    expect(await repo().verifyPassword('ben@example.com', fresh)).toBeNull();
    const after = output();
    await listUsersCommand(holder.db, config, {}, after.print);
    expect(after.lines[1]).toMatch(/^ben@example.com +operator +disabled/);
  });

  it('will not demote or disable the last enabled admin', async () => {
    await addUserCommand(holder.db, config, { email: 'only.admin@example.com', role: 'admin' }, noStdin, output().print);
    await expect(setUserRoleCommand(holder.db, config, { email: 'only.admin@example.com', role: 'viewer' }, output().print)).rejects.toThrow(
      'only.admin@example.com is the last enabled admin: make another account admin first',
    );
    await expect(disableUserCommand(holder.db, config, 'only.admin@example.com', output().print)).rejects.toThrow(/last enabled admin/);
    await addUserCommand(holder.db, config, { email: 'next.admin@example.com', role: 'admin' }, noStdin, output().print);
    const demoted = output();
    await setUserRoleCommand(holder.db, config, { email: 'only.admin@example.com', role: 'viewer' }, demoted.print);
    expect(demoted.lines).toEqual(['only.admin@example.com is now viewer']);
  });

  // The real process: the exit code and message a shell script sees.
  it('exits 2 naming --role when the role is missing or unknown', { timeout: 120_000 }, () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'users', ...args], { env: { ...process.env, DATABASE_URL: '' }, timeout: 100_000 });
    const unknown = run('add', 'x@example.com', '--role', 'root');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.toString()).toContain('orderops: --role must be one of viewer, operator, approver, admin, got "root"');
    const missing = run('set-role', 'x@example.com');
    expect(missing.status).toBe(2);
    expect(missing.stderr.toString()).toContain('--role is required');
  });
});
