import { alignedWith, domainOf, unverified, verdictFor, type MethodVerdict, type SenderAuthentication } from './sender-authentication.js';

/** One method's verdict from an Authentication-Results header (RFC 8601). */
export interface AuthMethodResult {
  method: string;
  result: string;
  /** ptype.property=value pairs, e.g. `smtp.mailfrom`, `header.d`, `header.from`. */
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  authservId: string;
  results: AuthMethodResult[];
}

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      if (depth === 0) out += ch + value[i + 1];
      i++;
      continue;
    }
    if (ch === '"' && depth === 0) quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** Parses one header value; null when it has no authserv-id. */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const parts = stripComments(value).split(';').map((p) => p.trim());
  const authservId = (parts.shift() ?? '').split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!authservId) return null;
  const results: AuthMethodResult[] = [];
  for (const part of parts) {
    const tokens = part.split(/\s+/).filter(Boolean);
    const head = tokens.shift();
    const match = head?.match(/^([a-z0-9-]+)(?:\/\d+)?=([a-z]+)$/i);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const t of tokens) {
      const eq = t.indexOf('=');
      if (eq > 0) properties[t.slice(0, eq).toLowerCase()] = t.slice(eq + 1).replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method: match[1]!.toLowerCase(), result: match[2]!.toLowerCase(), properties });
  }
  return { authservId, results };
}

/** Whether a header value was written under `authservId` (so claims to be ours or our MX's). */
export function writtenBy(value: string, authservId: string): boolean {
  return parseAuthenticationResults(value)?.authservId === authservId.toLowerCase();
}

function classify(results: AuthMethodResult[], method: string, fromDomain: string, identities: string[]): MethodVerdict {
  const mine = results.filter((r) => r.method === method);
  const identity = (r: AuthMethodResult) => identities.map((k) => r.properties[k]).find(Boolean);
  if (mine.some((r) => r.result === 'pass' && alignedWith(identity(r), fromDomain))) return 'pass';
  // A pass for another domain says nothing for the From address: someone else's server vouched.
  if (mine.some((r) => FAILED.has(r.result) || r.result === 'pass')) return 'fail';
  return 'none';
}

const FAILED = new Set(['fail', 'softfail', 'permerror']);

/**
 * Decides whether the From address is believed from the Authentication-Results headers of the
 * MTA in front of us. Only the topmost header with that MTA's authserv-id counts: it prepends its
 * own, so any further one with the same id came with the mail and may be forged. No such header
 * means unverified. SPF and DKIM passes count only when aligned with the From domain.
 */
export function assessAuthenticationResults(headerValues: string[], fromAddress: string, trustedAuthservId: string): SenderAuthentication {
  const id = trustedAuthservId.toLowerCase();
  const topmost = headerValues.map(parseAuthenticationResults).find((h) => h?.authservId === id);
  if (!topmost) return unverified(`no Authentication-Results from ${id}`);
  const fromDomain = domainOf(fromAddress);
  return verdictFor(fromDomain, {
    spf: classify(topmost.results, 'spf', fromDomain, ['smtp.mailfrom']),
    dkim: classify(topmost.results, 'dkim', fromDomain, ['header.d', 'header.i']),
    dmarc: classify(topmost.results, 'dmarc', fromDomain, ['header.from']),
  });
}
