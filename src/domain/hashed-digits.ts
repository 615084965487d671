import { createHash } from 'node:crypto';

/** `n` decimal digits derived from `seed`: stable ids that callers probe past on collision. */
export function hashedDigits(seed: string, n: number): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 12);
  return String(parseInt(hex, 16) % 10 ** n).padStart(n, '0');
}
