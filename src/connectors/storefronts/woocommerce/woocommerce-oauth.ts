import { createHmac, randomBytes } from 'node:crypto';

// RFC 3986 unreserved characters stay; everything else is percent-encoded (PHP's rawurlencode).
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface OAuthSigningInput {
  method: string;
  /** The request URL without its query. */
  url: string;
  /** The query parameters the request will carry (oauth ones are added). */
  query: Record<string, string>;
  consumerKey: string;
  consumerSecret: string;
  timestamp?: number;
  nonce?: string;
}

/**
 * The query of a request signed with OAuth 1.0a "one-legged", as WooCommerce asks over plain
 * HTTP: HMAC-SHA256 over METHOD&url&sorted-parameters, keyed with the consumer secret and `&`
 * (there is no token secret). The body is not signed. Returns every parameter to send.
 */
export function signOAuthQuery(input: OAuthSigningInput): Record<string, string> {
  const params: Record<string, string> = {
    ...input.query,
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const normalized = Object.entries(params)
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${input.method.toUpperCase()}&${rfc3986(input.url)}&${rfc3986(normalized)}`;
  const signature = createHmac('sha256', `${input.consumerSecret}&`).update(base).digest('base64');
  return { ...params, oauth_signature: signature };
}
