import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

// No 0/O, 1/I/L or U: a code read off a phone screen is typed back without guessing.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = `[${ALPHABET}]{4}`;
const CODE_IN_TEXT = new RegExp(`(?<![A-Z0-9])(${GROUP})[- ]?(${GROUP})(?![A-Z0-9])`, 'gi');
const KEY_LENGTH = 32;

/** A fresh one-time code, `XXXX-XXXX` from a 30-letter alphabet (about 39 bits). */
export function newConfirmationCode(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

const canonical = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** `scrypt$<salt>$<hash>`: what is stored instead of the code. */
export async function hashConfirmationCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(canonical(code), salt, KEY_LENGTH);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** Whether `code` is the one `stored` was made from (case, spaces and dashes do not matter). */
export async function confirmationCodeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(canonical(code), Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** The text with every code in it blanked, for keeping a mail that carried one once it is sent. */
export function maskConfirmationCodes(text: string): string {
  return text.replace(CODE_IN_TEXT, '****-****');
}

/**
 * What in a message has the shape of a code, at most `limit`: written with the dash first, then
 * those with a digit (ordinary words such as "SEND THAT" have the shape too), in order of appearance.
 */
export function findConfirmationCodes(text: string, limit = 3): string[] {
  const found = [...text.matchAll(CODE_IN_TEXT)].map((m) => ({
    code: `${m[1]!.toUpperCase()}-${m[2]!.toUpperCase()}`,
    rank: m[0].includes('-') ? 0 : /\d/.test(m[0]) ? 1 : 2,
  }));
  const ordered = found.map((f, i) => ({ ...f, i })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  return [...new Set(ordered.map((f) => f.code))].slice(0, limit);
}
