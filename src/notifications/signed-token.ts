import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token is for; a tracking-page token never opens an unsubscribe page, and back. */
export type TokenPurpose = 'track' | 'unsubscribe';

const encode = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

function mac(secret: string, purpose: TokenPurpose, subject: string): string {
  // 128 bits is past guessing; the full digest would only make the links longer.
  return createHmac('sha256', secret).update(`${purpose}\n${subject}`).digest().subarray(0, 16).toString('base64url');
}

/** A link token naming `subject` (an order id, or customer id and category) for one purpose. */
export function signToken(secret: string, purpose: TokenPurpose, subject: string): string {
  return `${encode(subject)}.${mac(secret, purpose, subject)}`;
}

/** The subject a token was signed for, or null for a token that is malformed, forged or for another purpose. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 512) return null;
  const body = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return null;
  const subject = Buffer.from(body, 'base64url').toString('utf8');
  if (encode(subject) !== body) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, purpose, subject));
  return given.length === expected.length && timingSafeEqual(given, expected) ? subject : null;
}
