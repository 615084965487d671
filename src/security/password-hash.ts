import bcrypt from 'bcryptjs';

/** Shortest password accepted for an account. */
export const MIN_PASSWORD_LENGTH = 12;
// bcrypt reads only the first 72 bytes; a longer password would be accepted with its tail ignored.
const MAX_PASSWORD_BYTES = 72;

/** Why `password` cannot be an account's password, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return undefined;
}

/** A bcrypt hash of `password` at `rounds` (log2 of the work factor; the hash records it). */
export async function hashPassword(password: string, rounds: number): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(`password ${problem}`);
  return bcrypt.hash(password, rounds);
}

// Compared against when the account does not exist, so an unknown email costs as long as a wrong password.
const DECOY_HASH = bcrypt.hashSync('decoy password never issued', 10);

/** True when `password` matches `hash`; a missing hash is checked against a decoy and is false. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? DECOY_HASH);
  return hash != null && matches;
}
