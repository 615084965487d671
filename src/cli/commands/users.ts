import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import { passwordProblem } from '../../security/password-hash.js';
import { isRole, ROLES, type Role } from '../../security/role-policy.js';
import { createUserRepository, generatePassword, type User } from '../../security/user-repository.js';
import { CliError } from '../cli-error.js';
import { cliOperator } from '../cli-operator.js';
import { formatAge } from '../format-age.js';
import { withDb } from '../with-db.js';

type Print = (line: string) => void;
/** Reads the whole of standard input (the password for --password-stdin). */
export type ReadStdin = () => Promise<string>;

function parseRole(value: string | undefined): Role {
  if (value === undefined) throw new CliError(`--role is required: one of ${ROLES.join(', ')}`);
  if (!isRole(value)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, got "${value}"`);
  return value;
}

/** The password to set: read from stdin when asked (one trailing newline dropped), else generated. */
async function choosePassword(fromStdin: boolean | undefined, readStdin: ReadStdin): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  const password = (await readStdin()).replace(/\r?\n$/, '');
  const problem = passwordProblem(password);
  if (problem) throw new CliError(`the password read by --password-stdin ${problem}`);
  return { password, generated: false };
}

const line = (u: User) =>
  `${u.email.padEnd(32)}  ${u.role.padEnd(8)}  ${u.disabled ? 'disabled' : 'active  '}  ${u.name ?? ''}${u.lastLoginAt ? `  (last sign-in ${formatAge(u.lastLoginAt)})` : ''}`;

const repository = (db: Db, config: Config) => createUserRepository(db, { hashRounds: config.PASSWORD_HASH_ROUNDS });

/** `orderops users add <email> --role <role> [--name] [--password-stdin]`. */
export async function addUserCommand(
  db: Db,
  config: Config,
  input: { email: string; role?: string; name?: string; passwordStdin?: boolean },
  readStdin: ReadStdin,
  print: Print,
): Promise<void> {
  const role = parseRole(input.role);
  const { password, generated } = await choosePassword(input.passwordStdin, readStdin);
  const user = await repository(db, config).add({ email: input.email, role, name: input.name, password }, cliOperator());
  print(`added ${user.email} as ${user.role}`);
  // Shown once: only its hash is kept.
  if (generated) print(`password: ${password}`);
}

/** `orderops users list`. */
export async function listUsersCommand(db: Db, config: Config, opts: { json?: boolean }, print: Print): Promise<void> {
  const users = await repository(db, config).list();
  if (opts.json) return print(JSON.stringify(users, null, 2));
  if (users.length === 0) print('no accounts yet: orderops users add <email> --role admin');
  for (const u of users) print(line(u));
}

/** `orderops users set-role <email> --role <role>`. */
export async function setUserRoleCommand(db: Db, config: Config, input: { email: string; role?: string }, print: Print): Promise<void> {
  const role = parseRole(input.role);
  const user = await repository(db, config).setRole(input.email, role, cliOperator());
  print(`${user.email} is now ${user.role}`);
}

/** `orderops users disable <email>`: no more sign-ins, and its sessions end now. */
export async function disableUserCommand(db: Db, config: Config, email: string, print: Print): Promise<void> {
  const user = await repository(db, config).disable(email, cliOperator());
  print(`disabled ${user.email}; their sessions have ended`);
}

/** `orderops users reset-password <email> [--password-stdin]`: a new password, and its sessions end. */
export async function resetPasswordCommand(db: Db, config: Config, input: { email: string; passwordStdin?: boolean }, readStdin: ReadStdin, print: Print): Promise<void> {
  const { password, generated } = await choosePassword(input.passwordStdin, readStdin);
  const user = await repository(db, config).resetPassword(input.email, password, cliOperator());
  print(`new password set for ${user.email}; their sessions have ended`);
  if (generated) print(`password: ${password}`);
}

async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin reads the password from standard input: pipe it in (echo "$PW" | orderops users ...)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('People who sign in to the API and the console, and their roles');
  const print = (l: string) => console.log(l);
  const roleHelp = `one of ${ROLES.join(', ')} (viewer sees; operator also acts; approver also decides approvals; admin also manages people)`;

  users
    .command('add <email>')
    .description('Create an account; prints a generated password unless --password-stdin is given')
    .option('--role <role>', roleHelp)
    .option('--name <name>', 'the person\'s name, as the console shows it')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action((email: string, opts: { role?: string; name?: string; passwordStdin?: boolean }) => {
      // A bad role is refused before the database is opened.
      parseRole(opts.role);
      return withDb((db, config) => addUserCommand(db, config, { email, ...opts }, readAllStdin, print));
    });

  users
    .command('list')
    .description('Every account with its role and whether it is disabled')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => withDb((db, config) => listUsersCommand(db, config, opts, print)));

  users
    .command('set-role <email>')
    .description('Change what an account may do; applies to its open sessions at once')
    .option('--role <role>', roleHelp)
    .action((email: string, opts: { role?: string }) => {
      parseRole(opts.role);
      return withDb((db, config) => setUserRoleCommand(db, config, { email, ...opts }, print));
    });

  users
    .command('disable <email>')
    .description('Stop an account from signing in and end its sessions')
    .action((email: string) => withDb((db, config) => disableUserCommand(db, config, email, print)));

  users
    .command('reset-password <email>')
    .description('Set a new password (generated and printed unless --password-stdin) and end the account\'s sessions')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action((email: string, opts: { passwordStdin?: boolean }) =>
      withDb((db, config) => resetPasswordCommand(db, config, { email, ...opts }, readAllStdin, print)));
}
