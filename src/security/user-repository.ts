import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { DomainError } from '../domain/domain-error.js';
import { decodePageCursor } from '../domain/paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../domain/paging/page.js';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.js';
import type { Role } from './role-policy.js';

/** An account as callers see it; the password hash never leaves this module. */
export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string | null;
  disabled: boolean;
  created_at: Date | string;
  last_login_at: Date | string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

/** Who the OpenID Connect issuer says signed in, from a verified ID token. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  /** Only an address the issuer has not marked unverified. */
  email?: string;
  name?: string;
}

/** Why a verified identity does not sign in; the console shows each differently. */
export type IdentityRefusal = 'no_account' | 'disabled' | 'linked_elsewhere';

const iso = (v: Date | string) => new Date(v).toISOString();
const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled,
  createdAt: iso(r.created_at),
  lastLoginAt: r.last_login_at === null ? null : iso(r.last_login_at),
});

/** An account's email as stored and looked up: trimmed, lower case, and an email address. */
export const accountEmailSchema = z.string().trim().toLowerCase().pipe(z.email({ error: 'is not an email address' }));

/** A refusal of one input field; the HTTP error handler names it in `issues`. */
class UserInputError extends DomainError {
  readonly issues: { path: string; message: string }[];
  constructor(code: string, field: string, problem: string, message: string) {
    super('invalid', code, message);
    this.issues = [{ path: field, message: problem }];
  }
}

/** The account's email as stored and looked up (trimmed, lower case), or a 400 naming the field. */
export function normaliseEmail(email: string): string {
  const parsed = accountEmailSchema.safeParse(email);
  if (!parsed.success) throw new UserInputError('invalid_email', 'email', 'is not an email address', `email "${email}" is not an email address`);
  return parsed.data;
}

/** What may change on an account through `update`; an absent field stays as it is. */
export interface UserChanges {
  role?: Role;
  disabled?: boolean;
  /** null or blank clears the name. */
  name?: string | null;
}

const USER_LIST = 'users';

/** A random password for an account created without one: 24 characters of base64url. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

export interface UserRepository {
  /** Creates an account; 409 when the email (in any case) already has one. */
  add(input: { email: string; role: Role; name?: string; password: string }, actor: Actor): Promise<User>;
  list(): Promise<User[]>;
  /** Accounts by email, a page at a time. */
  listPage(page: PageRequest): Promise<Page<User>>;
  findByEmail(email: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /**
   * Changes role, disabled and name in one transaction, with an audit row for each change.
   * Disabling ends the account's sessions. 409 when it would leave no enabled admin.
   */
  update(id: string, changes: UserChanges, actor: Actor): Promise<User>;
  /** Sets a new password on the account with this id and ends its sessions. */
  setPassword(id: string, password: string, actor: Actor): Promise<User>;
  /** 409 when it would leave no enabled admin. */
  setRole(email: string, role: Role, actor: Actor): Promise<User>;
  /** Disables the account and ends its sessions; 409 when it would leave no enabled admin. */
  disable(email: string, actor: Actor): Promise<User>;
  /** Sets a new password and ends the account's sessions. */
  resetPassword(email: string, password: string, actor: Actor): Promise<User>;
  /**
   * The enabled account whose password this is, or null for an unknown email, a disabled
   * account or a wrong password alike (and as slowly), so the answer does not say which.
   */
  verifyPassword(email: string, password: string): Promise<User | null>;
  /** Stamps a successful sign-in. */
  recordLogin(userId: string): Promise<void>;
  /**
   * The account an issuer's identity signs in as: the one linked to it, else the one with its
   * email (which is then linked to it), else a new one with `create.role` when the email's domain
   * is in `create.domains`. A disabled account, or one linked to another subject of the same
   * issuer, is refused. Linking and creating happen in one transaction, audited.
   */
  signInWithIdentity(identity: ExternalIdentity, create: { role: Role; domains: readonly string[] }): Promise<{ user: User } | { refused: IdentityRefusal }>;
  /** True once any account exists (a disabled one counts: its deployment has chosen to sign people in). */
  anyUsers(): Promise<boolean>;
}

export function createUserRepository(db: Db, options: { hashRounds: number }): UserRepository {
  const load = async (q: Db, email: string, lock = false): Promise<UserRow | null> => {
    const { rows } = await q.query<UserRow>(`SELECT * FROM users WHERE lower(email) = $1${lock ? ' FOR UPDATE' : ''}`, [normaliseEmail(email)]);
    return rows[0] ?? null;
  };
  const loadById = async (q: Db, id: string, lock = false): Promise<UserRow | null> => {
    const { rows } = await q.query<UserRow>(`SELECT * FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  };
  const mustLoad = async (q: Db, email: string): Promise<UserRow> => {
    const row = await load(q, email, true);
    if (!row) throw new DomainError('not_found', 'user_not_found', `no account for ${normaliseEmail(email)}`);
    return row;
  };
  const mustLoadById = async (q: Db, id: string): Promise<UserRow> => {
    const row = await loadById(q, id, true);
    if (!row) throw new DomainError('not_found', 'user_not_found', `no account with id ${id}`);
    return row;
  };
  const checkedPassword = (password: string) => {
    const problem = passwordProblem(password);
    if (problem) throw new UserInputError('weak_password', 'password', problem, `password ${problem}`);
    return password;
  };

  /**
   * Applies `changes` to the row `find` locks. The enabled admins are locked first, in id order,
   * so two admins demoting each other at once cannot both pass the last-admin check.
   */
  const change = (find: (tx: Db) => Promise<UserRow>, changes: UserChanges, actor: Actor) =>
    db.transaction(async (tx) => {
      const admins = (changes.role !== undefined || changes.disabled !== undefined)
        ? (await tx.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`)).rows.map((r) => r.id)
        : [];
      const row = await find(tx);
      const role = changes.role ?? row.role;
      const disabled = changes.disabled ?? row.disabled;
      const name = changes.name === undefined ? row.name : changes.name?.trim() || null;
      const losesAdmin = row.role === 'admin' && !row.disabled && (role !== 'admin' || disabled);
      if (losesAdmin && admins.every((id) => id === row.id)) {
        throw new DomainError('conflict', 'last_admin', `${row.email} is the last enabled admin: make another account admin first`);
      }
      const { rows } = await tx.query<UserRow>('UPDATE users SET role = $2, disabled = $3, name = $4 WHERE id = $1 RETURNING *', [row.id, role, disabled, name]);
      const audit = (action: string, data: Record<string, unknown>) =>
        recordAudit(tx, actor, { action, entityType: 'user', entityId: row.id, data: { email: row.email, ...data } });
      if (role !== row.role) await audit('user.role_changed', { from: row.role, to: role });
      if (disabled && !row.disabled) {
        await tx.query('DELETE FROM sessions WHERE user_id = $1', [row.id]);
        await audit('user.disabled', {});
      }
      if (!disabled && row.disabled) await audit('user.enabled', {});
      if (name !== row.name) await audit('user.renamed', { from: row.name, to: name });
      return toUser(rows[0]!);
    });

  const replacePassword = async (find: (tx: Db) => Promise<UserRow>, password: string, actor: Actor) => {
    const hash = await hashPassword(checkedPassword(password), options.hashRounds);
    return db.transaction(async (tx) => {
      const row = await find(tx);
      const { rows } = await tx.query<UserRow>('UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING *', [row.id, hash]);
      // Whoever knew the old password may hold a session made with it.
      await tx.query('DELETE FROM sessions WHERE user_id = $1', [row.id]);
      await recordAudit(tx, actor, { action: 'user.password_reset', entityType: 'user', entityId: row.id, data: { email: row.email } });
      return toUser(rows[0]!);
    });
  };

  return {
    async add(input, actor) {
      const email = normaliseEmail(input.email);
      const hash = await hashPassword(checkedPassword(input.password), options.hashRounds);
      return db.transaction(async (tx) => {
        if (await load(tx, email)) throw new DomainError('conflict', 'user_exists', `${email} already has an account`);
        const id = `usr_${randomBytes(8).toString('hex')}`;
        const { rows } = await tx.query<UserRow>(
          'INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *',
          [id, email, input.name?.trim() || null, input.role, hash],
        );
        await recordAudit(tx, actor, { action: 'user.created', entityType: 'user', entityId: id, data: { email, role: input.role } });
        return toUser(rows[0]!);
      });
    },

    async list() {
      const { rows } = await db.query<UserRow>('SELECT * FROM users ORDER BY lower(email)');
      return rows.map(toUser);
    },

    async findByEmail(email) {
      const row = await load(db, email);
      return row ? toUser(row) : null;
    },

    async listPage(page) {
      const params: unknown[] = [];
      const param = (v: unknown) => `$${params.push(v)}`;
      let where = '';
      if (page.cursor !== null) {
        const [email, id] = decodePageCursor(USER_LIST, page.cursor, ['string', 'string']);
        where = `WHERE (email, id) > (${param(email)}, ${param(id)})`;
      }
      const { rows } = await db.query<UserRow>(`SELECT * FROM users ${where} ORDER BY email, id LIMIT ${param(page.limit + 1)}`, params);
      return takePage(USER_LIST, rows, page.limit, (r) => [r.email, r.id], toUser);
    },

    async findById(id) {
      const row = await loadById(db, id);
      return row ? toUser(row) : null;
    },

    update: (id, changes, actor) => change((tx) => mustLoadById(tx, id), changes, actor),

    setPassword: (id, password, actor) => replacePassword((tx) => mustLoadById(tx, id), password, actor),

    setRole: (email, role, actor) => change((tx) => mustLoad(tx, email), { role }, actor),

    disable: (email, actor) => change((tx) => mustLoad(tx, email), { disabled: true }, actor),

    resetPassword: (email, password, actor) => replacePassword((tx) => mustLoad(tx, email), password, actor),

    async verifyPassword(email, password) {
      let row: UserRow | null = null;
      try {
        row = await load(db, email);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
      const usable = row && !row.disabled ? row : null;
      const ok = await verifyPassword(password, usable?.password_hash);
      return ok && usable ? toUser(usable) : null;
    },

    async recordLogin(userId) {
      await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
    },

    async signInWithIdentity(identity, create) {
      const actor: Actor = { kind: 'person', id: identity.email ?? `${identity.issuer}#${identity.subject}` };
      return db.transaction(async (tx) => {
        const { rows: linked } = await tx.query<UserRow>('SELECT * FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR UPDATE', [identity.issuer, identity.subject]);
        if (linked[0]) return linked[0].disabled ? { refused: 'disabled' as const } : { user: toUser(linked[0]) };
        if (identity.email === undefined) return { refused: 'no_account' as const };
        const email = normaliseEmail(identity.email);
        const row = await load(tx, email, true);
        if (row) {
          if (row.disabled) return { refused: 'disabled' as const };
          // The issuer gave this address to someone else since the account was linked.
          if (row.oidc_issuer === identity.issuer) return { refused: 'linked_elsewhere' as const };
          const { rows } = await tx.query<UserRow>('UPDATE users SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1 RETURNING *', [row.id, identity.issuer, identity.subject]);
          await recordAudit(tx, actor, { action: 'user.sso_linked', entityType: 'user', entityId: row.id, data: { email, issuer: identity.issuer, subject: identity.subject } });
          return { user: toUser(rows[0]!) };
        }
        if (!create.domains.includes(email.slice(email.lastIndexOf('@') + 1))) return { refused: 'no_account' as const };
        const id = `usr_${randomBytes(8).toString('hex')}`;
        // No password: the account signs in through the issuer until an admin sets one.
        const { rows } = await tx.query<UserRow>(
          'INSERT INTO users (id, email, name, role, oidc_issuer, oidc_subject) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
          [id, email, identity.name?.trim() || null, create.role, identity.issuer, identity.subject],
        );
        await recordAudit(tx, actor, { action: 'user.created', entityType: 'user', entityId: id, data: { email, role: create.role, via: 'sso', issuer: identity.issuer } });
        return { user: toUser(rows[0]!) };
      });
    },

    async anyUsers() {
      const { rows } = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM users) AS any');
      return rows[0]!.any;
    },
  };
}
