import { createHmac } from 'node:crypto';
import { secretsMatch } from '../../../security/secrets-match.js';
import { wpSpecialcharsDecode } from './wp-specialchars-decode.js';

/**
 * `X-WC-Webhook-Signature` as WooCommerce computes it (WC_Webhook::generate_signature): base64 of
 * the raw HMAC-SHA256 of the body exactly as sent, keyed with the webhook secret after
 * `wp_specialchars_decode(secret, ENT_QUOTES)`.
 */
export function wooCommerceSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', wpSpecialcharsDecode(secret)).update(rawBody).digest('base64');
}

/** True when the header is the signature of these bytes under this secret (constant time). */
export function verifyWooCommerceSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  return secretsMatch(header.trim(), wooCommerceSignature(rawBody, secret));
}
