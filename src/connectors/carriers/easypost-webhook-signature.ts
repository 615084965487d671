import { createHmac, timingSafeEqual } from 'node:crypto';

export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';

/**
 * Whether `X-Hmac-Signature` is EasyPost's signature of this body, checked as EasyPost's client
 * libraries do: HMAC-SHA256 of the raw body keyed with the NFKD-normalised webhook secret, sent as
 * `hmac-sha256-hex=<hex>`, compared in constant time. EasyPost signs no timestamp, so there is no
 * age to check; the event id lets the caller drop a replay.
 */
export function easyPostSignatureRefusal(secret: string | undefined, rawBody: Buffer, signature: string | undefined): string | null {
  if (!secret) return 'the EasyPost webhook secret is not configured (EASYPOST_WEBHOOK_SECRET)';
  if (!signature) return `missing ${EASYPOST_SIGNATURE_HEADER}`;
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  const expected = Buffer.from(`hmac-sha256-hex=${createHmac('sha256', key).update(rawBody).digest('hex')}`, 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}
