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

export type EmailAuthPolicy = 'off' | 'fail-when-both-fail' | 'require-pass';

export interface SenderAuthentication {
  verified: boolean;
  /** Why, in words for logs and the thread record. */
  reason: string;
  spf: 'pass' | 'fail' | 'unknown';
  dkim: 'pass' | 'fail' | 'unknown';
  dmarc: 'pass' | 'fail' | 'unknown';
}

const FAILED = new Set(['fail', 'softfail', 'permerror']);

const domainOf = (address: string): string => (address.split('@')[1] ?? '').toLowerCase();

/** Relaxed alignment: the authenticated domain is the From domain or a parent of it. */
function aligned(authenticated: string | undefined, fromDomain: string): boolean {
  if (!authenticated) return true;
  const d = authenticated.includes('@') ? domainOf(authenticated) : authenticated;
  return fromDomain === d || fromDomain.endsWith(`.${d}`);
}

function classify(
  results: AuthMethodResult[],
  method: string,
  fromDomain: string,
  identities: string[],
): 'pass' | 'fail' | 'unknown' {
  const mine = results.filter((r) => r.method === method);
  const identity = (r: AuthMethodResult) => identities.map((k) => r.properties[k]).find(Boolean)?.replace(/^@/, '');
  if (mine.some((r) => r.result === 'pass' && aligned(identity(r), fromDomain))) return 'pass';
  // A pass for some other domain says nothing for the From address; someone else's mail server vouched.
  if (mine.some((r) => FAILED.has(r.result) || r.result === 'pass')) return 'fail';
  return 'unknown';
}

/**
 * Decides whether the From address is believed, from the Authentication-Results headers the
 * receiving MTA wrote. Without a trusted authserv-id only the topmost header counts: the
 * receiving MTA prepends its own, anything below came with the mail and could be forged.
 * SPF and DKIM passes count only when aligned with the From domain.
 */
export function assessSenderAuthentication(
  headerValues: string[],
  fromAddress: string,
  options: { policy: EmailAuthPolicy; trustedAuthservId?: string | undefined },
): SenderAuthentication {
  const unknown = { spf: 'unknown', dkim: 'unknown', dmarc: 'unknown' } as const;
  if (options.policy === 'off') return { verified: true, reason: 'authentication results not checked', ...unknown };
  const parsed = headerValues.map(parseAuthenticationResults).filter((h): h is AuthenticationResults => h !== null);
  const trusted = options.trustedAuthservId
    ? parsed.filter((h) => h.authservId === options.trustedAuthservId!.toLowerCase())
    : parsed.slice(0, 1);
  if (trusted.length === 0) {
    return options.policy === 'require-pass'
      ? { verified: false, reason: 'no trusted Authentication-Results header', ...unknown }
      : { verified: true, reason: 'no trusted Authentication-Results header', ...unknown };
  }
  const results = trusted.flatMap((h) => h.results);
  const fromDomain = domainOf(fromAddress);
  const spf = classify(results, 'spf', fromDomain, ['smtp.mailfrom', 'smtp.helo']);
  const dkim = classify(results, 'dkim', fromDomain, ['header.d', 'header.i']);
  const dmarc = classify(results, 'dmarc', fromDomain, ['header.from']);
  const summary = `spf=${spf} dkim=${dkim} dmarc=${dmarc}`;
  if (dmarc === 'fail') return { verified: false, reason: `DMARC failed (${summary})`, spf, dkim, dmarc };
  if (options.policy === 'require-pass') {
    const verified = spf === 'pass' || dkim === 'pass' || dmarc === 'pass';
    return { verified, reason: verified ? summary : `no passing SPF, DKIM or DMARC (${summary})`, spf, dkim, dmarc };
  }
  const bothFailed = spf !== 'pass' && dkim !== 'pass' && (spf === 'fail' || dkim === 'fail');
  return { verified: !bothFailed, reason: bothFailed ? `SPF and DKIM failed (${summary})` : summary, spf, dkim, dmarc };
}
