import { createHmac } from 'node:crypto';
import { secretsMatch } from '../../security/secrets-match.js';

/** A signature whose `t=` is further than this from now is refused as stale or replayed. */
export const SHIPPO_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export interface ShippoWebhookCredentials {
  secret: string | undefined;
  /** The `token` query parameter of the webhook URL (Shippo's self-generated token option). */
  token: string | undefined;
  /** The value of the signature header (Shippo's HMAC option): `t=<seconds>,v1=<hex>`. */
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
}

/**
 * Why a Shippo webhook is not authentic, or null when it is. Shippo offers a token in the URL and
 * an HMAC header (`t=<timestamp>,v1=<hex HMAC-SHA256 of "{t}.{body}">`); either proves the
 * caller, and a signature that is present must be valid and fresh even when the token matches.
 */
export function shippoWebhookRefusal(c: ShippoWebhookCredentials): string | null {
  if (!c.secret) return 'the Shippo webhook secret is not configured (SHIPPO_WEBHOOK_SECRET)';
  if (c.signature !== undefined) {
    const parts = new Map(c.signature.split(',').map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as [string, string];
    }));
    const t = parts.get('t');
    const v1 = parts.get('v1');
    if (!t || !v1) return 'the signature header is not t=<timestamp>,v1=<signature>';
    if (!/^\d+$/.test(t)) return 'the signature timestamp is not a number of seconds';
    if (Math.abs(Math.floor(c.nowMs / 1000) - Number(t)) > SHIPPO_SIGNATURE_MAX_AGE_SECONDS) {
      return 'the signature timestamp is more than 5 minutes from now (stale or replayed)';
    }
    const expected = createHmac('sha256', c.secret).update(`${t}.`).update(c.rawBody).digest('hex');
    return secretsMatch(v1.toLowerCase(), expected) ? null : 'signature mismatch';
  }
  if (c.token !== undefined) return secretsMatch(c.token, c.secret) ? null : 'wrong webhook token';
  return 'neither a webhook token nor a signature';
}
