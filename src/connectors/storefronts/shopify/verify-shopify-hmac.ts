import { createHmac } from 'node:crypto';
import { secretsMatch } from '../../../security/secrets-match.js';

/**
 * Shopify signs each webhook with X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body,
 * keyed with the app's client secret. Compared in constant time; a missing header never matches.
 */
export function verifyShopifyHmac(rawBody: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest('base64');
  return secretsMatch(header.trim(), expected);
}
