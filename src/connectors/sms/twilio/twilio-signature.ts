import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Twilio puts its signature in. */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** POST parameters as received, in any order; a name may repeat. */
export type TwilioParams = ReadonlyArray<readonly [name: string, value: string]> | Readonly<Record<string, string>>;

/**
 * Twilio's X-Twilio-Signature for a request: base64 HMAC-SHA1, keyed with the auth token, over the
 * full URL Twilio called followed by every POST parameter sorted by name (case-sensitive, byte
 * order), each as name then value with nothing between.
 */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams): string {
  const pairs = Array.isArray(params) ? [...params] : Object.entries(params);
  // A repeated name is ordered by its values, so the order the body listed them in does not matter.
  pairs.sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of pairs) hmac.update(name + value, 'utf8');
  return hmac.digest('base64');
}

/**
 * True when `signature` is Twilio's signature of this request. Twilio may sign an https URL with
 * or without its standard port (:443, or :80 for http), whichever way the URL was written where it
 * was configured, so both forms are accepted; any other port must match as written. Compared in
 * constant time; a missing or empty signature is false.
 */
export function verifyTwilioSignature(authToken: string, signature: string | undefined, url: string, params: TwilioParams): boolean {
  if (!authToken || !signature) return false;
  const given = Buffer.from(signature, 'utf8');
  let ok = false;
  for (const candidate of urlPortVariants(url)) {
    const expected = Buffer.from(computeTwilioSignature(authToken, candidate, params), 'utf8');
    // Every candidate is checked, so the time taken does not say which form matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * The URL as written, and the same URL with its scheme's standard port added or removed. Nothing
 * else is rewritten (no re-encoding, no case folding), because the signature covers the exact text.
 */
export function urlPortVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (!m) return [url];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = authority.slice(at + 1);
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!portMatch) return [url];
  const host = portMatch[1]!;
  const port = portMatch[2];
  const standard = DEFAULT_PORTS[scheme.toLowerCase()]!;
  const prefix = `${scheme}://${userinfo}${host}`;
  if (port === undefined) return [url, `${prefix}:${standard}${rest}`];
  if (port === standard) return [url, `${prefix}${rest}`];
  return [url];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
