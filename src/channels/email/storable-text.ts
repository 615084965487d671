import type { InboundEmail } from './inbound-email.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL can store: without NUL (refused in text and jsonb alike, "invalid byte
 * sequence for encoding UTF8: 0x00") and without lone UTF-16 surrogates (refused in jsonb). A
 * mail carrying either was accepted at the door and then failed on its first INSERT, so it was
 * never recorded at all.
 */
export function storableText(text: string): string {
  return text.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
}

function clean<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(clean) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), clean(v)])) as T;
  }
  return value;
}

/** The mail with every string in it made storable (see storableText); called by each door's parser. */
export function storableEmail(mail: InboundEmail): InboundEmail {
  return clean(mail);
}
